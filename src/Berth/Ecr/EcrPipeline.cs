using System.Diagnostics;
using System.Text.Json;
using Berth.Diagnostics;
using Berth.Diagnostics.Audit;
using Berth.Diagnostics.Metrics;
using Berth.Domain.Auth;
using Berth.Domain.Templates;
using Berth.Ecr.Model;
using Berth.Hosting;

namespace Berth.Ecr;

/// <summary>
/// The path of every ECR API call: read the body, authenticate, find the operation's descriptor, parse and validate
/// the body, resolve the resource, authorize (the one authorization point of this protocol), run the handler.
/// Each step that fails answers an AWS JSON error; an unexpected exception answers ServerException. Calls that write,
/// and calls refused by authentication or authorization, leave one audit record.
/// </summary>
public sealed class EcrPipeline(
    EcrAuthenticator authenticator,
    EcrModel model,
    RequestValidator validator,
    EcrOperations operations,
    IAuthorizer authorizer,
    AuthorizationFacts facts,
    CreateOnPush createOnPush,
    AuditLog audit,
    TimeProvider time,
    RequestTelemetry telemetry,
    ILogger<EcrPipeline> logger)
{
    // The label of a call that names no operation this registry knows; never an arbitrary header value.
    private const string UnknownOperation = "unknown";

    // UploadLayerPart carries up to 20 MiB of base64 (about 28 MiB) plus a little JSON.
    private const int MaxUploadPartBodyBytes = 32 * 1024 * 1024;

    // PutImage carries a manifest of up to 4 MiB, which JSON escaping can triple (a 4-byte character becomes a
    // 12-byte surrogate pair escape).
    private const int MaxPutImageBodyBytes = 16 * 1024 * 1024;

    // Every other request is ids, names, tags and policy texts of a few KiB at most.
    private const int MaxOtherBodyBytes = 1024 * 1024;

    // An empty body means no input members (the awsJson rule).
    private static readonly ReadOnlyMemory<byte> EmptyObject = "{}"u8.ToArray();

    public async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = new EcrOutcome(UnknownOperation, null, null);
        try
        {
            outcome = await RunAsync(http);
        }
        finally
        {
            // The one place an ECR call is counted, whatever way it ended.
            telemetry.Record(http, RequestTelemetry.Ecr, outcome.Operation, started, outcome.Caller?.PrincipalArn, outcome.Caller?.AccessKeyId);
            if (outcome.Repository is { } repository && http.Response.StatusCode == StatusCodes.Status200OK)
            {
                if (outcome.Operation == "PutImage")
                {
                    telemetry.Pushed(repository);
                }
                else if (outcome.Operation == "BatchGetImage")
                {
                    telemetry.Pulled(repository);
                }
            }
        }
    }

    /// <summary>Answers the call; returns what it was, for the metrics and the access log.</summary>
    private async ValueTask<EcrOutcome> RunAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var dot = target.IndexOf('.', StringComparison.Ordinal);

        // What the headers already refuse is refused before the body is read, so an unauthenticated caller cannot
        // make the server hold one.
        if (await authenticator.CheckBeforeBodyAsync(http.Request, cancellationToken) is { } refused)
        {
            LogRejected(http, refused);
            await AuditAsync(http, null, dot < 0 ? target : target[(dot + 1)..], readOnly: false, null, refused);
            await WriteErrorAsync(http, refused);
            return new(UnknownOperation, null, null);
        }

        var maxBodyBytes = MaxBodyBytes(target);
        RequestBody? read;
        try
        {
            read = await RequestBody.ReadAsync(http.Request, maxBodyBytes, cancellationToken);
        }
        catch (Exception ex) when (MalformedBody.Is(ex))
        {
            // Malformed framing (an overflowing chunk size, a truncated body) is the client's error, not a crash.
            await WriteErrorAsync(http, new EcrError("SerializationException", "The request body could not be read: " + ex.Message, MalformedBody.StatusOf(ex)));
            return new(UnknownOperation, null, null);
        }

        using var body = read;
        if (body is null)
        {
            await WriteErrorAsync(http, new EcrError("SerializationException", $"The request body is larger than the maximum of {maxBodyBytes} bytes.", 413));
            return new(UnknownOperation, null, null);
        }

        var (caller, authError) = await authenticator.AuthenticateAsync(http.Request, body.Memory, cancellationToken);
        if (authError is not null)
        {
            LogRejected(http, authError);
            await AuditAsync(http, null, dot < 0 ? target : target[(dot + 1)..], readOnly: false, null, authError);
            await WriteErrorAsync(http, authError);
            return new(UnknownOperation, caller, null);
        }

        // The content type picks the protocol, as on AWS: a body declared as anything but JSON names no operation here.
        if (!IsJsonContentType(http.Request.ContentType) || dot < 0 || !target.AsSpan(0, dot).SequenceEqual(model.TargetPrefix)
            || !model.TryGetOperation(target.AsSpan(dot + 1), out var operation))
        {
            await WriteErrorAsync(http, EcrError.UnknownOperation(target));
            return new(UnknownOperation, caller, null);
        }

        return await RunAsync(http, caller!, operation, body.Memory);
    }

    /// <summary>
    /// Runs ECR operation <paramref name="operationName"/> for a caller authenticated another way (a console session):
    /// the same validation, resource resolution, authorization, handler, audit and error answers as a signed call.
    /// </summary>
    public async Task HandleForCallerAsync(HttpContext http, EcrCaller caller, string operationName, ReadOnlyMemory<byte> body)
    {
        if (!model.TryGetOperation(operationName, out var operation))
        {
            await WriteErrorAsync(http, EcrError.UnknownOperation(operationName));
            return;
        }

        await RunAsync(http, caller, operation, body);
    }

    private async Task<EcrOutcome> RunAsync(HttpContext http, EcrCaller caller, EcrOperation operation, ReadOnlyMemory<byte> body)
    {
        var cancellationToken = http.RequestAborted;
        // Unimplemented operations answer before validation, so clients see one clear error.
        if (!operations.TryGet(operation.Name, out var descriptor) || descriptor.Handler is null)
        {
            await WriteErrorAsync(http, EcrError.NotImplemented(operation.Name));
            return new(operation.Name, caller, null);
        }

        var json = body.Length == 0 ? EmptyObject : body;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            var malformed = EcrError.Serialization("Start of structure or map found where not expected, or the body is not valid JSON.");
            await AuditIfWriteAsync(http, caller, descriptor, null, malformed);
            await WriteErrorAsync(http, malformed);
            return new(operation.Name, caller, null);
        }

        using (document)
        {
            // Text that does not decode fails before any constraint is checked on it (a pattern would otherwise report
            // invalid UTF-8 as InvalidParameterException), and in the strings the validator does not read (policy
            // texts, media types, map values) it would otherwise fail in binding as a server error.
            if (!JsonText.IsValidUnicode(json.Span))
            {
                await WriteErrorAsync(http, EcrError.Serialization("The request body holds a string that is not valid Unicode (invalid UTF-8 or an unpaired surrogate escape)."));
                return new(operation.Name, caller, null);
            }

            if (validator.Validate(operation, document.RootElement) is { } failure)
            {
                var invalid = new EcrError(failure.ErrorType, failure.Message);
                await AuditIfWriteAsync(http, caller, descriptor, null, invalid);
                await WriteErrorAsync(http, invalid);
                return new(operation.Name, caller, null);
            }

            EcrResult result;
            RegistryResource? resource = null;
            try
            {
                if (!EcrResources.TryResolve(descriptor.Resource, caller, document.RootElement, out var resolved, out var unresolvable))
                {
                    result = EcrResult.Fail(unresolvable!);
                }
                else
                {
                    resource = resolved;
                    result = await AuthorizeAndRunAsync(http, caller, operation, descriptor, descriptor.Handler, resolved, document.RootElement, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.OperationFailed(operation.Name, ex);
                result = StorageFull.Is(ex) ? StorageFullError : EcrError.Server();
            }

            await AuditIfWriteAsync(http, caller, descriptor, resource, result.Error);
            if (result.Error is { } error)
            {
                await WriteErrorAsync(http, error);
                return new(operation.Name, caller, resource?.RepositoryName);
            }

            http.Response.StatusCode = StatusCodes.Status200OK;
            if (result.Stream is { } stream)
            {
                await StreamAsync(http, operation.Name, stream);
                return new(operation.Name, caller, resource?.RepositoryName);
            }

            await JsonBody.WriteAsync(http.Response, EcrEndpoint.ContentType, result, static (writer, result) => result.WriteBody(writer), cancellationToken);
            return new(operation.Name, caller, resource?.RepositoryName);
        }
    }

    /// <summary>AWS JSON 1.1, the 1.0 type some clients send, or plain JSON; no content type at all is let through.</summary>
    private static bool IsJsonContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return true;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        mediaType = (semicolon < 0 ? mediaType : mediaType[..semicolon]).Trim();
        return mediaType.Equals(EcrEndpoint.ContentType, StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-amz-json-1.0", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Runs an answer that is written as it is produced. Until part of it is on the wire a failure still answers an
    /// error; after that the connection is ended, so the client cannot take a truncated answer for the whole.
    /// </summary>
    private async Task StreamAsync(HttpContext http, string operation, Func<StreamedJsonBody, Task<EcrError?>> stream)
    {
        var cancellationToken = http.RequestAborted;
        using var body = new StreamedJsonBody(http.Response, EcrEndpoint.ContentType);
        EcrError? error;
        try
        {
            error = await stream(body);
            if (error is null)
            {
                await body.CompleteAsync(cancellationToken);
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.OperationFailed(operation, ex);
            error = StorageFull.Is(ex) ? StorageFullError : EcrError.Server();
        }

        if (body.Started)
        {
            http.Abort();
            return;
        }

        await WriteErrorAsync(http, error);
    }

    private static int MaxBodyBytes(string target) =>
        target.EndsWith(".UploadLayerPart", StringComparison.Ordinal) ? MaxUploadPartBodyBytes
        : target.EndsWith(".PutImage", StringComparison.Ordinal) ? MaxPutImageBodyBytes
        : MaxOtherBodyBytes;

    private async Task<EcrResult> AuthorizeAndRunAsync(
        HttpContext http,
        EcrCaller caller,
        EcrOperation operation,
        EcrOperationDescriptor descriptor,
        Func<EcrRequest, Task<EcrResult>> handler,
        RegistryResource resource,
        JsonElement body,
        CancellationToken cancellationToken)
    {
        // Tag conditions read the tags the call sets or names from the body the validator has already accepted.
        var (requestTags, tagKeys) = EcrRequestTags.Read(operation.Name, body);
        var question = facts.Of(http, caller.Principal, descriptor.Action, resource) with { RequestTags = requestTags, TagKeys = tagKeys };
        if (!await IsAllowedAsync(question, cancellationToken))
        {
            return EcrResult.Fail(EcrError.AccessDenied(caller.PrincipalArn, descriptor.Action, resource.Arn));
        }

        if (CreateOnPush.StartsPush(descriptor.Action))
        {
            await createOnPush.PrepareAsync(question, cancellationToken);
        }

        return await handler(new EcrRequest(caller, operation, resource, body, cancellationToken) { Asked = question });
    }

    /// <summary>
    /// Dry-run decisions for a console: whether <paramref name="caller"/> may do each of <paramref name="actions"/> on
    /// <paramref name="resource"/> from this request's address and transport, asked exactly as a call would ask.
    /// Calls that carry request tags are judged without them (the console cannot know them before a form is sent).
    /// </summary>
    public async Task<bool[]> DecideAsync(HttpContext http, EcrCaller caller, IReadOnlyList<string> actions, RegistryResource resource, CancellationToken cancellationToken)
    {
        var allowed = new bool[actions.Count];
        for (var i = 0; i < actions.Count; i++)
        {
            allowed[i] = await IsAllowedAsync(facts.Of(http, caller.Principal, actions[i], resource), cancellationToken);
        }

        return allowed;
    }

    /// <summary>
    /// Runs a console read the ECR API has no operation for (a lifecycle explanation, an image's referrers), authorized
    /// as the ECR <paramref name="action"/> whose data it shows; refusals are answered and audited as a call's.
    /// </summary>
    public async Task<EcrResult> AuthorizeAndRunAsync(HttpContext http, EcrCaller caller, string action, RegistryResource resource, Func<Task<EcrResult>> read)
    {
        if (!await IsAllowedAsync(facts.Of(http, caller.Principal, action, resource), http.RequestAborted))
        {
            var denied = EcrError.AccessDenied(caller.PrincipalArn, action, resource.Arn);
            await AuditAsync(http, caller, action, readOnly: true, resource.Arn, denied);
            return EcrResult.Fail(denied);
        }

        return await read();
    }

    /// <summary>The one authorization call of this protocol.</summary>
    private async Task<bool> IsAllowedAsync(AuthorizationRequest question, CancellationToken cancellationToken) =>
        await authorizer.AuthorizeAsync(question, cancellationToken) == AuthorizationDecision.Allowed;

    /// <summary>Records a call that writes, whatever its outcome, and any call authorization refused.</summary>
    private ValueTask AuditIfWriteAsync(HttpContext http, EcrCaller caller, EcrOperationDescriptor descriptor, RegistryResource? resource, EcrError? error) =>
        descriptor.Access == EcrAccess.Write || error?.Type == AccessDenied
            ? AuditAsync(http, caller, descriptor.Name, descriptor.Access == EcrAccess.Read, resource?.Arn, error)
            : ValueTask.CompletedTask;

    private ValueTask AuditAsync(HttpContext http, EcrCaller? caller, string operation, bool readOnly, string? resourceArn, EcrError? error)
    {
        if (!audit.IsEnabled)
        {
            return ValueTask.CompletedTask;
        }

        return audit.RecordAsync(new AuditEvent
        {
            Protocol = "ecr",
            EventName = operation,
            Time = time.GetUtcNow(),
            Region = caller?.Region ?? string.Empty,
            Outcome = error is null ? AuditOutcome.Success
                : caller is null || error.Type == AccessDenied ? AuditOutcome.Denied
                : AuditOutcome.Failure,
            ReadOnly = readOnly,
            Principal = caller?.Principal,
            AccessKeyId = caller?.AccessKeyId,
            ResourceArn = resourceArn,
            SourceAddress = facts.SourceIpOf(http)?.ToString(),
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
            RequestId = http.Response.Headers["x-amzn-RequestId"].ToString(),
            ErrorCode = error?.Type,
            // Refusals of the credentials themselves quote the Authorization header, as AWS's do: never into the trail.
            ErrorMessage = caller is null ? null : error?.Message,
            HttpMethod = http.Request.Method,
            Path = http.Request.Path.Value,
            StatusCode = error?.StatusCode ?? StatusCodes.Status200OK,
        });
    }

    private const string AccessDenied = "AccessDeniedException";

    /// <summary>One warning per refused signature or key: why, and the key id it named; never the header or a secret.</summary>
    private void LogRejected(HttpContext http, EcrError error) =>
        logger.CredentialsRejected(RequestTelemetry.Ecr, facts.SourceIpOf(http)?.ToString() ?? "-", error.Type, SignedAccessKeyId(http.Request) ?? "-");

    /// <summary>The access key id of a SigV4 Authorization header's <c>Credential=</c>, when it looks like one.</summary>
    internal static string? SignedAccessKeyId(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().AsSpan();
        var at = header.IndexOf("Credential=", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = header[(at + "Credential=".Length)..];
        var slash = rest.IndexOf('/');
        var id = slash < 0 ? rest : rest[..slash];
        // Only a key id's characters: anything else in that place is not echoed into the log.
        if (id.Length is 0 or > 128)
        {
            return null;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return null;
            }
        }

        return id.ToString();
    }

    /// <summary>What a call was, as its metrics and access-log line name it.</summary>
    private readonly record struct EcrOutcome(string Operation, EcrCaller? Caller, string? Repository);

    private static readonly EcrError StorageFullError = new("ServerException", "The registry's storage is full; the request was not applied. Deleting images and running garbage collection frees space.", 500);

    /// <summary>Answers <paramref name="error"/> in the AWS JSON error shape.</summary>
    public static async Task WriteErrorAsync(HttpContext http, EcrError error)
    {
        http.Response.StatusCode = error.StatusCode;
        http.Response.Headers["x-amzn-ErrorType"] = error.Type;
        await JsonBody.WriteAsync(http.Response, EcrEndpoint.ContentType, error, static (writer, error) =>
        {
            writer.WriteStartObject();
            writer.WriteString("__type"u8, error.Type);
            writer.WriteString("message"u8, error.Message);
            foreach (var (name, value) in error.Members)
            {
                if (value is long number)
                {
                    writer.WriteNumber(name, number);
                }
                else
                {
                    writer.WriteString(name, value.ToString());
                }
            }

            writer.WriteEndObject();
        }, http.RequestAborted);
    }
}
