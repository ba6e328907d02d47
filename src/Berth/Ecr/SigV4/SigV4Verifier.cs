using System.Buffers;
using System.Security.Cryptography;
using Berth.Domain;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Berth.Ecr.SigV4;

/// <summary>Verifies the AWS Signature Version 4 of an ECR API request, signed in its Authorization header or its query.</summary>
public sealed class SigV4Verifier(IAccessKeyLookup keys, TimeProvider time)
{
    /// <summary>The signing name every ECR API credential scope must carry (not the endpoint prefix <c>api.ecr</c>).</summary>
    public const string Service = "ecr";

    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private const string TargetHeader = "x-amz-target";

    private readonly SigningKeyCache _signingKeys = new();

    /// <summary>
    /// Checks everything the headers and query alone can show — the signature's parts, its time, what it covers, and
    /// that its access key exists — so a request that cannot succeed is refused before its body is read. Null when
    /// nothing is wrong so far; <see cref="VerifyAsync(HttpRequest, ReadOnlyMemory{byte}, CancellationToken)"/> still has to check the signature itself.
    /// </summary>
    public async ValueTask<SigV4Outcome?> CheckBeforeBodyAsync(HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ReadParameters(request, Service, out var parameters) is { } failure)
        {
            return failure;
        }

        return await keys.FindAsync(parameters.AccessKeyId, ct) is null ? SigV4Failures.UnrecognizedClient : null;
    }

    /// <summary>
    /// Checks the request's signature against its already-read <paramref name="body"/>. Expected failures
    /// come back as an outcome carrying the AWS error, never as exceptions.
    /// </summary>
    public ValueTask<SigV4Outcome> VerifyAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken ct) =>
        VerifyAsync(request, body, Service, ct);

    /// <summary>As <see cref="VerifyAsync(HttpRequest, ReadOnlyMemory{byte}, CancellationToken)"/>, for a request whose scope names <paramref name="service"/> (STS on the same endpoint).</summary>
    public ValueTask<SigV4Outcome> VerifyAsync(HttpRequest request, ReadOnlyMemory<byte> body, string service, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ReadParameters(request, service, out var parameters) is { } failure)
        {
            return ValueTask.FromResult(failure);
        }

        var lookup = keys.FindAsync(parameters.AccessKeyId, ct);
        return lookup.IsCompletedSuccessfully
            ? ValueTask.FromResult(Verify(request, body.Span, parameters, service, lookup.Result))
            : VerifyAfterLookupAsync(lookup, request, body, parameters, service);
    }

    private SigV4Outcome? ReadParameters(HttpRequest request, string service, out SignatureParameters parameters)
    {
        var now = time.GetUtcNow();
        SigV4Outcome? failure;
        var authorization = request.Headers.Authorization;
        if (!StringValues.IsNullOrEmpty(authorization))
        {
            var header = authorization.ToString();
            if (!AuthorizationHeader.IsSigV4(header))
            {
                parameters = default;
                return SigV4Failures.MissingAuthenticationToken;
            }

            if (!AuthorizationHeader.TryParse(header, request.Headers, now, service, out parameters, out failure))
            {
                return failure;
            }
        }
        else if (PresignedQuery.IsPresent(request))
        {
            if (!PresignedQuery.TryParse(request.Query, now, service, out parameters, out failure))
            {
                return failure;
            }
        }
        else
        {
            parameters = default;
            return SigV4Failures.MissingAuthenticationToken;
        }

        // The operation is chosen by X-Amz-Target: left unsigned, a captured request could be replayed as another
        // operation on the same body. The JSON API has no use for an unsigned payload either. (STS's query requests
        // name their action in the signed body and carry no target; a request without one names no operation and is
        // refused as such once its signature is checked.)
        if (service == Service && request.Headers.ContainsKey(TargetHeader)
            && !CanonicalRequest.SignsHeader(parameters.SignedHeaders.Span, TargetHeader))
        {
            return SigV4Failures.HeaderNotSigned("X-Amz-Target");
        }

        if (request.Headers["X-Amz-Content-Sha256"].ToString().AsSpan().Trim() is UnsignedPayload)
        {
            return SigV4Failures.UnsignedPayload;
        }

        return null;
    }

    private async ValueTask<SigV4Outcome> VerifyAfterLookupAsync(
        ValueTask<AccessKey?> lookup, HttpRequest request, ReadOnlyMemory<byte> body, SignatureParameters parameters, string service)
    {
        var key = await lookup;
        return Verify(request, body.Span, parameters, service, key);
    }

    private SigV4Outcome Verify(HttpRequest request, ReadOnlySpan<byte> body, in SignatureParameters parameters, string service, AccessKey? key)
    {
        if (key is null)
        {
            return SigV4Failures.UnrecognizedClient;
        }

        // The canonical request carries the hash of the body as received, so a changed body fails the
        // signature; a declared hash must match it (an unsigned payload was refused with the parameters).
        Span<byte> bodyHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, bodyHash);
        Span<char> bodyHashHex = stackalloc char[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(bodyHash, bodyHashHex, out _);
        ReadOnlySpan<char> payloadHash = bodyHashHex;
        var declared = request.Headers["X-Amz-Content-Sha256"];
        if (!StringValues.IsNullOrEmpty(declared))
        {
            var declaredHash = declared.ToString().AsSpan().Trim();
            if (!declaredHash.Equals(bodyHashHex, StringComparison.OrdinalIgnoreCase))
            {
                return SigV4Failures.PayloadHashMismatch;
            }
        }

        var target = RequestTarget.Of(request);
        var canonicalRequest = new Utf8Builder(stackalloc byte[1024]);
        try
        {
            CanonicalRequest.Write(
                ref canonicalRequest,
                request.Method,
                target.Path,
                target.Query,
                request.Headers,
                parameters.SignedHeaders.Span,
                payloadHash,
                parameters.Presigned);

            Span<byte> signingKey = stackalloc byte[HMACSHA256.HashSizeInBytes];
            _signingKeys.GetSigningKey(key.SecretAccessKey, parameters.AmzDate.AsSpan(0, 8), parameters.Region, service, signingKey);
            Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
            SigV4Signature.Sign(signingKey, parameters.AmzDate, parameters.Region, service, canonicalRequest.Written, expected);
            CryptographicOperations.ZeroMemory(signingKey);

            Span<byte> provided = stackalloc byte[HMACSHA256.HashSizeInBytes];
            var signature = parameters.Signature.Span;
            var matches = signature.Length == provided.Length * 2
                && Convert.FromHexString(signature, provided, out _, out _) == OperationStatus.Done
                && CryptographicOperations.FixedTimeEquals(expected, provided);
            return matches ? SigV4Outcome.Success(key, parameters.Region, service) : SigV4Failures.SignatureMismatch;
        }
        finally
        {
            canonicalRequest.Dispose();
        }
    }

    /// <summary>The path and query as the client sent them, which is what it signed.</summary>
    private readonly ref struct RequestTarget(ReadOnlySpan<char> path, ReadOnlySpan<char> query)
    {
        public ReadOnlySpan<char> Path { get; } = path;

        public ReadOnlySpan<char> Query { get; } = query;

        public static RequestTarget Of(HttpRequest request)
        {
            // Kestrel keeps the undecoded request-target; hosts without it get the escaped path back.
            var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
            var raw = rawTarget.AsSpan();
            if (!raw.IsEmpty && raw[0] != '/')
            {
                // Absolute form (http://host/path?query): the path starts after the authority.
                var scheme = raw.IndexOf("://", StringComparison.Ordinal);
                var authority = scheme < 0 ? raw : raw[(scheme + 3)..];
                var slash = authority.IndexOfAny('/', '?');
                raw = slash < 0 ? "/" : authority[slash..];
            }

            if (raw.IsEmpty)
            {
                var path = (request.PathBase + request.Path).ToUriComponent();
                return new RequestTarget(path, request.QueryString.Value);
            }

            var question = raw.IndexOf('?');
            return question < 0 ? new RequestTarget(raw, default) : new RequestTarget(raw[..question], raw[(question + 1)..]);
        }
    }
}
