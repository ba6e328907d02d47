using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.Bench.Http;

/// <summary>An ECR error answer: its <c>__type</c> and message.</summary>
public sealed class EcrCallException(string operation, int status, string type, string message)
    : Exception($"{operation} answered {status} {type}: {message}")
{
    public string Type { get; } = type;
}

/// <summary>Signed ECR calls (AWS JSON 1.1 over POST /) to Berth or moto.</summary>
public sealed class EcrClient(HttpClient http, Uri endpoint, SigV4Credentials credentials, string region = "us-east-1")
{
    public Uri Endpoint => endpoint;

    public SigV4Credentials Credentials => credentials;

    public string Region => region;

    /// <summary>Signs a call now; the result is what the load generator replays.</summary>
    public SignedHeaders Sign(string operation, string body) =>
        SigV4Signer.Sign(endpoint.Authority, operation, Encoding.UTF8.GetBytes(body), credentials, region, DateTimeOffset.UtcNow);

    public async Task<JsonElement> CallAsync(string operation, string body, CancellationToken cancellationToken = default)
    {
        var signed = Sign(operation, body);
        var (status, text) = await SendAsync(signed, body, cancellationToken);
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        var root = document.RootElement.Clone();
        if (status != 200)
        {
            var type = root.TryGetProperty("__type", out var t) ? t.GetString() ?? "?" : "?";
            var hash = type.IndexOf('#', StringComparison.Ordinal);
            var message = root.TryGetProperty("message", out var m) ? m.GetString() : root.TryGetProperty("Message", out m) ? m.GetString() : text;
            throw new EcrCallException(operation, status, hash >= 0 ? type[(hash + 1)..] : type, message ?? string.Empty);
        }

        return root;
    }

    /// <summary>Sends an already signed call, as the load generator will.</summary>
    public async Task<(int Status, string Body)> SendAsync(SignedHeaders signed, string body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(SignedHeaders.ContentType);
        request.Headers.Host = signed.Host;
        request.Headers.TryAddWithoutValidation("X-Amz-Target", signed.Target);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", signed.AmzDate);
        request.Headers.TryAddWithoutValidation("Authorization", signed.Authorization);
        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
