using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.Tests.Support;

/// <summary>
/// A small typed ECR client for in-process tests. Without a secret it sends an unsigned credential scope
/// (accepted in --auth none); with one, requests are signed by <see cref="SigV4Signer"/>.
/// </summary>
public sealed class EcrClient(HttpClient http, string accountId, string region, SigV4Credentials? credentials = null)
{
    public const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921.";

    public string AccountId => accountId;

    public string Region => region;

    public EcrClient WithCredentials(SigV4Credentials signing) => new(http, signing.AccountId, region, signing);

    public async Task<EcrResponse> CallAsync(string operation, string json = "{}")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", TargetPrefix + operation);
        if (credentials is null)
        {
            var date = DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            request.Headers.TryAddWithoutValidation(
                "Authorization",
                $"AWS4-HMAC-SHA256 Credential={accountId}/{date}/{region}/ecr/aws4_request, SignedHeaders=host, Signature=0");
        }
        else
        {
            SigV4Signer.Sign(request, Encoding.UTF8.GetBytes(json), credentials, region, DateTimeOffset.UtcNow);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new EcrResponse(response.StatusCode, body, response.Headers, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Calls and asserts success, returning the JSON body.</summary>
    public async Task<JsonElement> OkAsync(string operation, string json = "{}")
    {
        var response = await CallAsync(operation, json);
        Assert.True(response.Status == HttpStatusCode.OK, $"{operation} failed: {(int)response.Status} {response.Body}");
        return response.Json;
    }

    /// <summary>Calls and asserts the AWS error type, returning the message.</summary>
    public async Task<string> FailsAsync(string operation, string json, string errorType, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var response = await CallAsync(operation, json);
        Assert.True(response.ErrorType == errorType, $"{operation}: expected {errorType}, got {(int)response.Status} {response.Body}");
        Assert.Equal(status, response.Status);
        return response.Json.GetProperty("message").GetString()!;
    }
}

/// <summary>An ECR API answer.</summary>
public sealed record EcrResponse(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, string? ContentType)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? ErrorType => Status == HttpStatusCode.OK ? null : Json.GetProperty("__type").GetString();
}
