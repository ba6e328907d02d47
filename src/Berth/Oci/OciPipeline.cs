using System.Diagnostics;
using Berth.Diagnostics;
using Berth.Diagnostics.Audit;
using Berth.Diagnostics.Metrics;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Domain.Templates;
using Berth.Hosting;

namespace Berth.Oci;

/// <summary>
/// The path of every /v2/ request: authenticate, parse the route, authorize every action <see cref="OciActions"/>
/// lists (the one authorization point of this protocol), run the resource's handler. An unexpected exception
/// answers 500 UNKNOWN in the OCI error shape and logs one event. Requests that write (any method but GET and HEAD),
/// and requests refused for their credentials or by authorization, leave one audit record.
/// </summary>
public sealed class OciPipeline(
    OciAuthenticator authenticator,
    IAuthorizer authorizer,
    AuthorizationFacts facts,
    TagHandlers tags,
    ReferrerHandlers referrers,
    ManifestHandlers manifests,
    BlobHandlers blobs,
    UploadHandlers uploads,
    CreateOnPush createOnPush,
    AuditLog audit,
    TimeProvider time,
    RequestTelemetry telemetry,
    ILogger<OciPipeline> logger)
{
    // Set on every response by BerthApp's middleware, before this pipeline runs.
    private const string RequestIdHeader = "x-amzn-RequestId";

    public async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        http.Response.Headers[OciResponses.ApiVersionHeader] = "registry/2.0";
        var path = http.Request.Path.Value ?? string.Empty;
        path = path.Length <= 4 ? string.Empty : path[4..];
        var known = OciRoute.TryParse(path, out var route);
        OciCaller? caller = null;
        try
        {
            caller = await AuthenticateAsync(http, known, route);
            if (caller is not null)
            {
                await HandleAsync(http, route, caller);
            }
        }
        finally
        {
            // The one place a /v2/ request is counted, whatever way it ended.
            var method = http.Request.Method;
            telemetry.Record(http, RequestTelemetry.Oci, known ? OciOperations.Of(route.Resource, method) : OciOperations.Unmatched, started, caller?.Principal.Arn);
            if (known && route.Resource == OciResource.Manifest)
            {
                if (HttpMethods.IsPut(method) && http.Response.StatusCode == StatusCodes.Status201Created)
                {
                    telemetry.Pushed(route.Name);
                }
                else if (HttpMethods.IsGet(method) && http.Response.StatusCode == StatusCodes.Status200OK)
                {
                    telemetry.Pulled(route.Name);
                }
            }
        }
    }

    /// <summary>The caller, or null once the refusal is answered (and a route that cannot be served, answered too).</summary>
    private async ValueTask<OciCaller?> AuthenticateAsync(HttpContext http, bool known, OciRoute route)
    {
        if (await authenticator.AuthenticateAsync(http.Request, route, http.RequestAborted) is not { } caller)
        {
            http.Response.Headers.WWWAuthenticate = authenticator.Challenge();
            await OciResponses.WriteErrorAsync(http, OciErrorCode.Unauthorized.With("authentication required: log in with the password from aws ecr get-login-password"));

            // A client's first, anonymous request is how it learns the challenge: only refused credentials are recorded.
            if (http.Request.Headers.Authorization.Count > 0 || http.Request.QueryString.HasValue)
            {
                logger.CredentialsRejected(RequestTelemetry.Oci, facts.SourceIpOf(http)?.ToString() ?? "-", "UNAUTHORIZED", "-");
                await AuditAsync(http, known ? route : null, null);
            }

            return null;
        }

        if (!known)
        {
            await OciResponses.WriteErrorAsync(http, OciError.NotFound());
            return null;
        }

        if (route.Resource is not (OciResource.Base or OciResource.Catalog) && !RepositoryNames.IsValid(route.Name))
        {
            await OciResponses.WriteErrorAsync(http, OciError.NameInvalid(route.Name));
            return null;
        }

        return caller;
    }

    private async Task HandleAsync(HttpContext http, OciRoute route, OciCaller caller)
    {

        var cancellationToken = http.RequestAborted;
        http.Request.Body = new ClientBodyStream(http.Request.Body);
        try
        {
            await AuthorizeAndRunAsync(new OciRequest(http, route, caller));
            if (Writes(http.Request.Method) || http.Response.StatusCode == StatusCodes.Status403Forbidden)
            {
                await AuditAsync(http, route, caller);
            }
        }
        catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
        {
            // Broken framing (a bad chunk size, a body cut short) is the client's error, answered in the resource's terms.
            ClearResponse(http);
            var code = route.Resource == OciResource.Manifest ? OciErrorCode.ManifestInvalid : OciErrorCode.BlobUploadInvalid;
            await OciResponses.WriteErrorAsync(http, code.With("the request body could not be read: " + ex.Message));
            await AuditAsync(http, route, caller);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Malformed framing of the body is the client's error, not a failure: answered above unless the answer
            // had started, and never logged as the server's.
            if (!MalformedBody.Is(ex))
            {
                logger.OciRequestFailed(http.Request.Method, route.Resource.ToString(), ex);
            }

            if (http.Response.HasStarted)
            {
                // Part of a body is on the wire: end the connection so the client cannot take it for the whole.
                http.Abort();
                return;
            }

            ClearResponse(http);
            await OciResponses.WriteErrorAsync(http, StorageFull.Is(ex) ? OciErrorCode.StorageFull.With(StorageFull.Message) : OciError.Server());
            if (Writes(http.Request.Method))
            {
                await AuditAsync(http, route, caller);
            }
        }
    }

    /// <summary>Drops whatever a handler had set (Location, digests), keeping the headers every response carries.</summary>
    private static void ClearResponse(HttpContext http)
    {
        var requestId = http.Response.Headers[RequestIdHeader];
        http.Response.Clear();
        http.Response.Headers[RequestIdHeader] = requestId;
        http.Response.Headers[OciResponses.ApiVersionHeader] = "registry/2.0";
    }

    private static bool Writes(string method) => !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);

    /// <summary>One audit record for the request as answered: its ECR action, repository, status and error.</summary>
    private ValueTask AuditAsync(HttpContext http, OciRoute? route, OciCaller? caller)
    {
        if (!audit.IsEnabled)
        {
            return ValueTask.CompletedTask;
        }

        var method = http.Request.Method;
        var actions = route is { } known ? OciActions.For(known.Resource, method) : [];
        // The action a request is named by: the finishing one for the closing PUT of an upload, else the first.
        var action = actions.Length == 0 ? method
            : route!.Value.Resource == OciResource.Upload && HttpMethods.IsPut(method) ? actions[^1]
            : actions[0];
        string? resourceArn = null;
        if (caller is not null && route is { } named && named.Resource is not OciResource.Base)
        {
            resourceArn = named.Resource == OciResource.Catalog
                ? RegistryResource.Of(caller.Scope).Arn
                : RegistryResource.Of(caller.Scope.Repository(named.Name)).Arn;
        }

        var status = http.Response.StatusCode;
        var error = OciResponses.ErrorOf(http);
        return audit.RecordAsync(new AuditEvent
        {
            Protocol = "oci",
            EventName = action.StartsWith("ecr:", StringComparison.Ordinal) ? action[4..] : action,
            Time = time.GetUtcNow(),
            Region = caller?.Scope.Region ?? string.Empty,
            Outcome = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden ? AuditOutcome.Denied
                : status >= 400 ? AuditOutcome.Failure
                : AuditOutcome.Success,
            ReadOnly = !Writes(method),
            Principal = caller?.Principal,
            ResourceArn = resourceArn,
            SourceAddress = facts.SourceIpOf(http)?.ToString(),
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
            RequestId = http.Response.Headers[RequestIdHeader].ToString(),
            ErrorCode = error?.Code,
            ErrorMessage = caller is null ? null : error?.Message,
            HttpMethod = method,
            Path = http.Request.Path.Value,
            StatusCode = status,
        });
    }

    private async Task AuthorizeAndRunAsync(OciRequest request)
    {
        var (http, route, caller) = (request.Http, request.Route, request.Caller);
        var method = http.Request.Method;
        AuthorizationRequest? push = null;
        foreach (var (action, resource) in OciActions.Required(route, method, http.Request.Query, caller.Scope))
        {
            var question = facts.Of(http, caller.Principal, action, resource);
            if (await authorizer.AuthorizeAsync(question, http.RequestAborted) != AuthorizationDecision.Allowed)
            {
                await OciResponses.WriteErrorAsync(http, OciErrorCode.Denied.With($"User: {caller.Principal.Arn} is not authorized to perform: {action} on resource: {resource.Arn}"));
                return;
            }

            push ??= CreateOnPush.StartsPush(action) ? question : null;
            request = request.Asked is null ? request with { Asked = question } : request;
        }

        if (push is not null)
        {
            await createOnPush.PrepareAsync(push, http.RequestAborted);
        }

        var handled = route.Resource switch
        {
            OciResource.Base when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => Base(http),
            OciResource.Catalog when HttpMethods.IsGet(method) => tags.CatalogAsync(request),
            OciResource.Tags when HttpMethods.IsGet(method) => tags.ListAsync(request),
            OciResource.Referrers when HttpMethods.IsGet(method) => referrers.ListAsync(request),
            OciResource.Manifest => manifests.HandleAsync(request),
            OciResource.Blob => blobs.HandleAsync(request),
            OciResource.Uploads or OciResource.Upload => uploads.HandleAsync(request),
            _ => null,
        };

        if (handled is null)
        {
            await OciResponses.WriteErrorAsync(http, OciError.MethodNotAllowed());
            return;
        }

        await handled;
    }

    private static Task Base(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("{}", http.RequestAborted);
    }
}
