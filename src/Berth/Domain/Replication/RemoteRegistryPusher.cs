using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Domain.Images;

namespace Berth.Domain.Replication;

/// <summary>
/// Pushes one stored image to a remote OCI registry over <c>/v2/</c>: each blob is asked for first (HEAD) and
/// streamed from the blob store only when the remote lacks it, an index's children go before the index, and the
/// manifest goes last, byte for byte, so its digest is the same there.
/// </summary>
public sealed class RemoteRegistryPusher(IMetadataStore store, IBlobStore blobs) : IDisposable
{
    // One client for every remote: pooled connections, renewed now and then so DNS changes are seen.
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromMinutes(30),
    };

    public void Dispose() => _http.Dispose();

    /// <summary>Copies <paramref name="digest"/> of <paramref name="source"/> to the remote, under <paramref name="tag"/> when given; null on success, else why it failed.</summary>
    public async Task<string?> PushAsync(RemoteDestination remote, RepositoryKey source, Digest digest, string? tag, CancellationToken cancellationToken)
    {
        var session = new Session(remote, $"{remote.RepositoryPrefix}{source.Name}");
        return await PushImageAsync(session, source, digest, tag, cancellationToken);
    }

    private async Task<string?> PushImageAsync(Session session, RepositoryKey source, Digest digest, string? tag, CancellationToken cancellationToken)
    {
        if (await store.Images.GetImageAsync(source, digest, cancellationToken) is not { Manifest: { } bytes } image)
        {
            return $"The image {digest} is no longer in the source repository.";
        }

        foreach (var reference in ManifestService.ReferencesOf(bytes, image.MediaType) ?? [])
        {
            var failed = reference.Kind == ImageReferenceKind.Manifest
                ? await PushImageAsync(session, source, reference.Digest, null, cancellationToken)
                : await PushBlobAsync(session, reference.Digest, cancellationToken);
            if (failed is not null)
            {
                return failed;
            }
        }

        using var put = await SendAsync(session, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, session.Url($"manifests/{tag ?? digest.ToString()}")) { Content = new ByteArrayContent(bytes.ToArray()) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(image.MediaType);
            return request;
        }, cancellationToken);
        return put.IsSuccessStatusCode ? null : await FailureAsync("PUT manifest", put, cancellationToken);
    }

    private async Task<string?> PushBlobAsync(Session session, Digest digest, CancellationToken cancellationToken)
    {
        using (var head = await SendAsync(session, () => new HttpRequestMessage(HttpMethod.Head, session.Url($"blobs/{digest}")), cancellationToken))
        {
            if (head.IsSuccessStatusCode)
            {
                return null;
            }
        }

        if (await blobs.StatAsync(digest, cancellationToken) is not { } info)
        {
            return $"The blob {digest} is not in the blob store.";
        }

        using var start = await SendAsync(session, () => new HttpRequestMessage(HttpMethod.Post, session.Url("blobs/uploads/")), cancellationToken);
        if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is not { } location)
        {
            return await FailureAsync("POST blob upload", start, cancellationToken);
        }

        var target = new Uri(new Uri(session.Remote.Url), location);
        var separator = target.Query.Length == 0 ? "?" : "&";
        var commit = new Uri($"{target}{separator}digest={Uri.EscapeDataString(digest.ToString())}");
        using var put = await SendAsync(session, () =>
        {
            // The stream is opened per attempt: a retry after an auth challenge needs the bytes again.
            var request = new HttpRequestMessage(HttpMethod.Put, commit) { Content = new BlobContent(blobs, digest, info.Length) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return request;
        }, cancellationToken);
        return put.IsSuccessStatusCode ? null : await FailureAsync($"PUT blob {digest}", put, cancellationToken);
    }

    /// <summary>Sends with the session's credentials; a Bearer challenge is answered once by fetching a token, then the request is sent again.</summary>
    private async Task<HttpResponseMessage> SendAsync(Session session, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        using (var request = create())
        {
            session.Authorize(request);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Unauthorized || !await session.AnswerChallengeAsync(_http, response, cancellationToken))
            {
                return response;
            }

            response.Dispose();
        }

        using var again = create();
        session.Authorize(again);
        return await _http.SendAsync(again, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static async Task<string> FailureAsync(string step, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return $"{step} answered {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}";
    }

    /// <summary>One push's target and credentials (Basic, or a Bearer token once a challenge asked for one).</summary>
    private sealed class Session(RemoteDestination remote, string repository)
    {
        private string? _bearer;

        public RemoteDestination Remote => remote;

        public Uri Url(string path) => new($"{remote.Url.TrimEnd('/')}/v2/{repository}/{path}");

        public void Authorize(HttpRequestMessage request)
        {
            if (_bearer is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _bearer);
            }
            else if (Basic() is { } basic)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            }
        }

        public async Task<bool> AnswerChallengeAsync(HttpClient http, HttpResponseMessage response, CancellationToken cancellationToken)
        {
            if (_bearer is not null)
            {
                return false;
            }

            foreach (var challenge in response.Headers.WwwAuthenticate)
            {
                if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Parameter is not { } parameter)
                {
                    continue;
                }

                var fields = ParseChallenge(parameter);
                if (!fields.TryGetValue("realm", out var realm))
                {
                    return false;
                }

                var query = new StringBuilder("?");
                if (fields.TryGetValue("service", out var service))
                {
                    query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
                }

                query.Append("scope=").Append(Uri.EscapeDataString($"repository:{repository}:pull,push"));
                using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, realm + query);
                if (Basic() is { } basic)
                {
                    tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
                }

                using var answer = await http.SendAsync(tokenRequest, cancellationToken);
                if (!answer.IsSuccessStatusCode)
                {
                    return false;
                }

                using var document = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
                _bearer = document.RootElement.TryGetProperty("token", out var token) ? token.GetString()
                    : document.RootElement.TryGetProperty("access_token", out var access) ? access.GetString()
                    : null;
                return _bearer is not null;
            }

            return false;
        }

        private string? Basic() => string.IsNullOrEmpty(remote.Username)
            ? null
            : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{remote.Username}:{remote.Password}"));

        private static Dictionary<string, string> ParseChallenge(string parameter)
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var part in parameter.Split(','))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    fields[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
                }
            }

            return fields;
        }
    }

    /// <summary>A blob's bytes streamed from the blob store, with its length declared.</summary>
    private sealed class BlobContent(IBlobStore blobs, Digest digest, long size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await using var source = await blobs.OpenReadAsync(digest, 0, null, cancellationToken)
                ?? throw new IOException($"The blob {digest} is not in the blob store.");
            await source.CopyToAsync(stream, 1 << 20, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = size;
            return true;
        }
    }
}
