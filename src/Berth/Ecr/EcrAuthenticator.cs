using Berth.Diagnostics;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Ecr.SigV4;
using Berth.Hosting;

namespace Berth.Ecr;

/// <summary>Turns a request's credentials into the calling principal and region, per the configured auth mode.</summary>
public sealed class EcrAuthenticator(BerthOptions options, SigV4Verifier verifier, ILogger<EcrAuthenticator> logger)
{
    /// <summary>
    /// The error a request's headers already earn it (no or malformed signature, unknown access key), checked before
    /// its body is read so an unauthenticated caller cannot make the server hold a large body; null to go on.
    /// </summary>
    public async ValueTask<EcrError?> CheckBeforeBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (options.Auth == AuthMode.None)
        {
            return null;
        }

        return await verifier.CheckBeforeBodyAsync(request, cancellationToken) is { } outcome
            ? Refused(request, new EcrError(outcome.ErrorType!, outcome.Message!, outcome.StatusCode))
            : null;
    }

    public ValueTask<(EcrCaller? Caller, EcrError? Error)> AuthenticateAsync(
        HttpRequest request,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken) =>
        AuthenticateAsync(request, body, SigV4Verifier.Service, cancellationToken);

    /// <summary>As for ECR, with the credential scope naming <paramref name="service"/> (<c>sts</c> for GetCallerIdentity).</summary>
    public async ValueTask<(EcrCaller? Caller, EcrError? Error)> AuthenticateAsync(
        HttpRequest request,
        ReadOnlyMemory<byte> body,
        string service,
        CancellationToken cancellationToken)
    {
        if (options.Auth == AuthMode.None)
        {
            return (Unverified(request), null);
        }

        var outcome = await verifier.VerifyAsync(request, body, service, cancellationToken);
        return outcome.Succeeded
            ? (new EcrCaller(Principal.OfAccessKey(outcome.AccessKey, RepositoryArn.Partition(outcome.Region)), outcome.Region, outcome.AccessKey.AccessKeyId), null)
            : (null, Refused(request, new EcrError(outcome.ErrorType, outcome.Message, outcome.StatusCode)));
    }

    /// <summary>Logs one line for a refused credential: the client sees the error, the operator the same reason.</summary>
    private EcrError Refused(HttpRequest request, EcrError error)
    {
        logger.SignatureRefused(request.HttpContext.Connection.RemoteIpAddress?.ToString(), error.Type, error.Message);
        return error;
    }

    /// <summary>In open mode the credential scope is read but not checked: a 12-digit key id names the account, whose root calls.</summary>
    private EcrCaller Unverified(HttpRequest request)
    {
        var credential = FindCredential(request);
        var parts = credential.Split('/');
        var accessKeyId = parts.Length > 0 && parts[0].Length > 0 ? parts[0] : null;
        var region = parts.Length >= 3 && parts[2].Length > 0 ? parts[2] : options.Region;
        var account = accessKeyId is not null && RepositoryArn.IsAccountId(accessKeyId) ? accessKeyId : options.AccountId;
        return new EcrCaller(Principal.Root(account, RepositoryArn.Partition(region)), region, accessKeyId);
    }

    private static string FindCredential(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var start = header.IndexOf("Credential=", StringComparison.Ordinal);
        if (start >= 0)
        {
            start += "Credential=".Length;
            var end = header.IndexOfAny([',', ' '], start);
            return end < 0 ? header[start..] : header[start..end];
        }

        return request.Query["X-Amz-Credential"].ToString();
    }
}
