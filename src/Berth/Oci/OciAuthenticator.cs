using System.Buffers.Text;
using System.Text;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;

namespace Berth.Oci;

/// <summary>
/// ECR's registry auth: HTTP Basic with user <c>AWS</c> and a password from GetAuthorizationToken. The
/// password names the principal, account and region; account and region together are the registry the request sees,
/// unless the Host names another account's registry (<see cref="RegistryAddress.Addressed"/>): then the request acts
/// there, as the token's principal, and the authorizer decides with that registry's policies.
/// </summary>
public sealed class OciAuthenticator(
    BerthOptions options, RegistryTokenService tokens, RegistryTokenGuard guard, BlobDownloadSigner downloads, RegistryAddress address)
{
    private const string Scheme = "Basic ";

    // Open mode: every request is the configured account's root.
    private readonly OciCaller _open = new(
        Principal.Root(options.AccountId, RepositoryArn.Partition(options.Region)),
        new RegistryScope(options.AccountId, options.Region));

    /// <summary>
    /// The caller and its registry, or null when the credentials are missing or invalid, or the token's access key has
    /// been disabled or deleted since it was issued.
    /// </summary>
    public async ValueTask<OciCaller?> AuthenticateAsync(HttpRequest request, OciRoute route, CancellationToken cancellationToken)
    {
        var query = request.Query;
        if (route.Resource == OciResource.Blob && query.ContainsKey(BlobDownloadSigner.SignatureParameter)
            && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            // A GetDownloadUrlForLayer URL: the signature proves who signed it; it works while that signer's key
            // still stands behind it (open mode has no keys), and the pipeline authorizes the read as that signer.
            var signed = Digest.TryParse(route.Argument, out var digest)
                ? downloads.Validate(
                    query[BlobDownloadSigner.AccountParameter].ToString(),
                    query[BlobDownloadSigner.RegionParameter].ToString(),
                    route.Name,
                    digest,
                    query[BlobDownloadSigner.PrincipalParameter].ToString(),
                    query.TryGetValue(BlobDownloadSigner.AccessKeyParameter, out var key) ? key.ToString() : null,
                    query[BlobDownloadSigner.ExpiresParameter].ToString(),
                    query[BlobDownloadSigner.SignatureParameter].ToString())
                : null;
            return signed is not null
                && (options.Auth == AuthMode.None || await guard.IsCurrentAsync(new RegistryToken(signed.Signer.AccountId, signed.Scope.Region, signed.Signer, signed.ExpiresAt, signed.AccessKeyId), cancellationToken))
                ? new OciCaller(signed.Signer, signed.Scope)
                : null;
        }

        if (options.Auth == AuthMode.None)
        {
            return _open;
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var encoded = header.AsSpan(Scheme.Length).Trim();
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var written))
        {
            return null;
        }

        var credentials = Encoding.UTF8.GetString(buffer, 0, written);
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || credentials[..colon] != "AWS")
        {
            return null;
        }

        var token = tokens.Validate(credentials[(colon + 1)..]);
        return token is not null && await guard.IsCurrentAsync(token, cancellationToken)
            ? new OciCaller(token.Principal, address.Addressed(request.Host.Value ?? string.Empty, new RegistryScope(token.AccountId, token.Region)))
            : null;
    }

    /// <summary>The challenge ECR sends with a 401.</summary>
    public string Challenge() =>
        $"Basic realm=\"{address.ProxyEndpoint(new RegistryScope(options.AccountId, options.Region))}/\",service=\"ecr.amazonaws.com\"";
}
