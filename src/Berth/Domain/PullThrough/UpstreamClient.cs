using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Domain.Manifests;

namespace Berth.Domain.PullThrough;

/// <summary>
/// The /v2/ client for upstream registries: anonymous, Basic, or the bearer-token challenge (<c>WWW-Authenticate: Bearer
/// realm=…,service=…,scope=…</c>, answered at the realm with the credential as Basic, the token kept until it expires).
/// </summary>
public sealed class UpstreamClient(HttpClient http, TimeProvider time)
{
    /// <summary>What a pull accepts, as a docker or skopeo client would ask.</summary>
    private const string ManifestAccept =
        ManifestMediaTypes.OciIndex + ", " + ManifestMediaTypes.OciManifest + ", " + ManifestMediaTypes.DockerManifestList + ", " + ManifestMediaTypes.DockerManifest;

    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, (string Header, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);

    /// <summary>GET /v2/ with the credential: null when the upstream accepts it, else what went wrong.</summary>
    public async Task<string?> CheckAsync(UpstreamTarget target, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(target, HttpMethod.Get, "v2/", null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode
                ? null
                : $"The upstream registry {target.Display} answered {(int)response.StatusCode} {response.ReasonPhrase} to GET /v2/"
                    + (response.StatusCode == HttpStatusCode.Unauthorized ? " with the rule's credentials." : ".");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UpstreamAuthException)
        {
            return $"The upstream registry {target.Display} cannot be reached: {e.Message}";
        }
    }

    /// <summary>The manifest a tag or digest names upstream, its bytes verified against the digest.</summary>
    public async Task<Result<UpstreamManifest>> GetManifestAsync(UpstreamTarget target, string reference, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(target, HttpMethod.Get, $"v2/{target.Repository}/manifests/{reference}", ManifestAccept, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return ImageError(target, reference, $"it answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > ManifestParser.MaxManifestBytes)
            {
                return ImageError(target, reference, "the manifest is larger than 4 MiB");
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (bytes.Length > ManifestParser.MaxManifestBytes)
            {
                return ImageError(target, reference, "the manifest is larger than 4 MiB");
            }

            var digest = Digest.Parse(ManifestDigests.Compute(bytes));
            if (Digest.TryParse(reference, out var asked) && asked != digest)
            {
                return ImageError(target, reference, $"its bytes hash to {digest}");
            }

            return new UpstreamManifest(bytes, response.Content.Headers.ContentType?.MediaType, digest);
        }
        catch (Exception e) when (e is HttpRequestException or UpstreamAuthException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ImageError(target, reference, e.Message);
        }
    }

    /// <summary>The digest a tag names upstream now (HEAD, or GET when the upstream does not say it on HEAD).</summary>
    public async Task<Result<Digest>> ResolveTagAsync(UpstreamTarget target, string tag, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(target, HttpMethod.Head, $"v2/{target.Repository}/manifests/{tag}", ManifestAccept, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode
                && response.Headers.TryGetValues("Docker-Content-Digest", out var values)
                && Digest.TryParse(values.First(), out var digest))
            {
                return digest;
            }

            if (!response.IsSuccessStatusCode)
            {
                return ImageError(target, tag, $"it answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or UpstreamAuthException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ImageError(target, tag, e.Message);
        }

        var manifest = await GetManifestAsync(target, tag, cancellationToken);
        return manifest.IsSuccess ? manifest.Value.Digest : manifest.Error!;
    }

    /// <summary>Opens the blob's bytes upstream (redirects followed); the caller disposes the response.</summary>
    public async Task<Result<HttpResponseMessage>> OpenBlobAsync(UpstreamTarget target, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            var response = await SendAsync(target, HttpMethod.Get, $"v2/{target.Repository}/blobs/{digest}", null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            response.Dispose();
            return LayerError(target, digest, $"it answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException or UpstreamAuthException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return LayerError(target, digest, e.Message);
        }
    }

    public static DomainError ImageError(UpstreamTarget target, string reference, string why) => new(
        ErrorCode.UpstreamImageUnavailable,
        $"Unable to get the image '{reference}' from the upstream registry {target.Display}: {why}");

    public static DomainError LayerError(UpstreamTarget target, Digest digest, string why) => new(
        ErrorCode.UpstreamLayerUnavailable,
        $"Unable to get the layer '{digest}' from the upstream registry {target.Display}: {why}");

    /// <summary>Sends with the kept token when there is one; on a 401, answers the challenge once and sends again.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        UpstreamTarget target,
        HttpMethod method,
        string path,
        string? accept,
        HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        var key = TokenKey(target);
        var authorization = _tokens.TryGetValue(key, out var kept) && kept.Until > time.GetUtcNow() ? kept.Header : null;
        var response = await http.SendAsync(Request(target, method, path, accept, authorization), completion, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenges = response.Headers.WwwAuthenticate.ToList();
        var bearer = challenges.FirstOrDefault(c => string.Equals(c.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase));
        var basic = challenges.FirstOrDefault(c => string.Equals(c.Scheme, "Basic", StringComparison.OrdinalIgnoreCase));
        string? header = null;
        var until = time.GetUtcNow() + DefaultTokenLifetime;
        if (bearer is not null)
        {
            (header, until) = await FetchTokenAsync(target, bearer.Parameter ?? string.Empty, cancellationToken);
        }
        else if (basic is not null && target.Credential is { } credential)
        {
            header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.AccessToken));
            until = DateTimeOffset.MaxValue;
        }

        if (header is null)
        {
            return response;
        }

        response.Dispose();
        _tokens[key] = (header, until);
        return await http.SendAsync(Request(target, method, path, accept, header), completion, cancellationToken);
    }

    private async Task<(string Header, DateTimeOffset Until)> FetchTokenAsync(UpstreamTarget target, string parameters, CancellationToken cancellationToken)
    {
        var fields = ParseChallenge(parameters);
        if (!fields.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new UpstreamAuthException($"{target.Display} asked for a bearer token without a usable realm.");
        }

        var query = new StringBuilder();
        if (fields.TryGetValue("service", out var service))
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        var scope = target.Repository is null ? fields.GetValueOrDefault("scope") : $"repository:{target.Repository}:pull";
        if (scope is not null)
        {
            query.Append(query.Length > 0 ? "&" : string.Empty).Append("scope=").Append(Uri.EscapeDataString(scope));
        }

        var builder = new UriBuilder(realmUri);
        builder.Query = builder.Query.Length > 1 ? builder.Query[1..] + (query.Length > 0 ? "&" + query : string.Empty) : query.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (target.Credential is { } credential)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.AccessToken)));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new UpstreamAuthException($"the token service {realmUri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        UpstreamToken? token;
        try
        {
            token = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken), SecretJsonContext.Default.UpstreamToken, cancellationToken);
        }
        catch (JsonException)
        {
            token = null;
        }

        var value = token?.Token ?? token?.AccessToken
            ?? throw new UpstreamAuthException($"the token service {realmUri.GetLeftPart(UriPartial.Path)} gave no token");
        // Renew a little early, so a token does not expire between being chosen and being checked.
        var lifetime = token!.ExpiresIn is > 10 ? TimeSpan.FromSeconds(token.ExpiresIn.Value - 5) : DefaultTokenLifetime;
        return ("Bearer " + value, time.GetUtcNow() + lifetime);
    }

    private static HttpRequestMessage Request(UpstreamTarget target, HttpMethod method, string path, string? accept, string? authorization)
    {
        var request = new HttpRequestMessage(method, new Uri(target.BaseUri, path));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    private static string TokenKey(UpstreamTarget target) =>
        target.BaseUri + "\n" + target.Repository + "\n" + target.Credential?.Username + "\n" + target.Credential?.AccessToken.GetHashCode(StringComparison.Ordinal);

    /// <summary>The <c>key="value"</c> pairs of a challenge (values may hold commas inside their quotes).</summary>
    internal static Dictionary<string, string> ParseChallenge(string parameters)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < parameters.Length)
        {
            while (i < parameters.Length && (parameters[i] == ',' || parameters[i] == ' '))
            {
                i++;
            }

            var equals = parameters.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var name = parameters[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < parameters.Length && parameters[i] == '"')
            {
                var close = parameters.IndexOf('"', i + 1);
                close = close < 0 ? parameters.Length : close;
                value = parameters[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = parameters.IndexOf(',', i);
                comma = comma < 0 ? parameters.Length : comma;
                value = parameters[i..comma].Trim();
                i = comma;
            }

            fields[name] = value;
        }

        return fields;
    }
}

/// <summary>A manifest as an upstream served it.</summary>
public sealed record UpstreamManifest(byte[] Bytes, string? ContentType, Digest Digest);

/// <summary>An upstream's token service refused or answered nonsense.</summary>
public sealed class UpstreamAuthException(string message) : Exception(message);
