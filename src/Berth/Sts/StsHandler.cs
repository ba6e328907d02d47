using System.Diagnostics;
using System.Text;
using Berth.Diagnostics;
using Berth.Diagnostics.Metrics;
using Berth.Ecr;
using Microsoft.AspNetCore.WebUtilities;

namespace Berth.Sts;

/// <summary>
/// STS on the registry's endpoint, for clients that ask who they are before anything else (the aws CLI's
/// `sts get-caller-identity`, Terraform's account lookup): the AWS query protocol (a form-encoded POST, SigV4 with
/// service <c>sts</c>) answering STS's XML. Only GetCallerIdentity is served; it needs no permission, as in AWS.
/// </summary>
public sealed class StsHandler(EcrAuthenticator authenticator, RequestTelemetry telemetry, ILogger<StsHandler> logger)
{
    public const string Service = "sts";
    public const string Version = "2011-06-15";

    private const int MaxBodyBytes = 64 * 1024;
    private const string FormType = "application/x-www-form-urlencoded";

    /// <summary>True for a form-encoded POST that names no ECR target.</summary>
    public static bool IsStsRequest(HttpRequest request) =>
        request.ContentType is { } type
        && type.StartsWith(FormType, StringComparison.OrdinalIgnoreCase)
        && !request.Headers.ContainsKey("X-Amz-Target");

    public async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        string? principal = null;
        try
        {
            principal = await AnswerAsync(http);
        }
        finally
        {
            telemetry.Record(http, RequestTelemetry.Sts, "GetCallerIdentity", started, principal);
        }
    }

    /// <summary>Answers the call; returns the caller's ARN once authenticated.</summary>
    private async Task<string?> AnswerAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        using var body = await RequestBody.ReadAsync(http.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            await StsXml.WriteErrorAsync(http, StsError.Sender("ValidationError", $"The request body is larger than the maximum of {MaxBodyBytes} bytes.", 413));
            return null;
        }

        var (caller, authError) = await authenticator.AuthenticateAsync(http.Request, body.Memory, Service, cancellationToken);
        if (authError is not null)
        {
            logger.CredentialsRejected(RequestTelemetry.Sts, http.Connection.RemoteIpAddress?.ToString() ?? "-", authError.Type,
                EcrPipeline.SignedAccessKeyId(http.Request) ?? "-");
            await StsXml.WriteErrorAsync(http, StsError.FromAuthentication(authError));
            return null;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.Memory.Span));
        var action = form.TryGetValue("Action", out var actions) ? actions.ToString() : null;
        var version = form.TryGetValue("Version", out var versions) ? versions.ToString() : null;
        if (string.IsNullOrEmpty(action))
        {
            await StsXml.WriteErrorAsync(http, StsError.Sender("MissingAction", "Missing Action", 400));
            return null;
        }

        if (action != "GetCallerIdentity" || version != Version)
        {
            await StsXml.WriteErrorAsync(http, StsError.Sender("InvalidAction", $"Could not find operation {action} for version {version ?? "NO_VERSION_SPECIFIED"}", 400));
            return caller!.PrincipalArn;
        }

        await StsXml.WriteCallerIdentityAsync(http, caller!.Principal);
        return caller.PrincipalArn;
    }
}
