using System.Text.Json;
using Berth.Diagnostics;
using Berth.Ecr.Model;
using Berth.Hosting;

namespace Berth.Ecr;

/// <summary>The AWS JSON 1.1 endpoint: POST / dispatched on X-Amz-Target.</summary>
public static class EcrEndpoint
{
    public const string ContentType = "application/x-amz-json-1.1";

    // UploadLayerPart carries up to 20 MiB of base64 (about 28 MiB) plus a little JSON.
    private const int MaxBodyBytes = 32 * 1024 * 1024;

    // An empty body means no input members (the awsJson rule).
    private static readonly ReadOnlyMemory<byte> EmptyObject = "{}"u8.ToArray();

    public static IEndpointRouteBuilder MapEcr(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/", HandleAsync);
        return routes;
    }

    private static async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        using var body = await RequestBody.ReadAsync(http.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            await WriteErrorAsync(http, new EcrError("SerializationException", $"The request body is larger than the maximum of {MaxBodyBytes} bytes.", 413));
            return;
        }

        var services = http.RequestServices;
        var (caller, authError) = await services.GetRequiredService<EcrAuthenticator>().AuthenticateAsync(http.Request, body.Memory, cancellationToken);
        if (authError is not null)
        {
            await WriteErrorAsync(http, authError);
            return;
        }

        var model = EcrModel.Shared;
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !target.AsSpan(0, dot).SequenceEqual(model.TargetPrefix)
            || !model.TryGetOperation(target.AsSpan(dot + 1), out var operation))
        {
            await WriteErrorAsync(http, EcrError.UnknownOperation(target));
            return;
        }

        var dispatcher = services.GetRequiredService<EcrDispatcher>();
        if (!dispatcher.Implements(operation.Name))
        {
            await WriteErrorAsync(http, EcrError.NotImplemented(operation.Name));
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Length == 0 ? EmptyObject : body.Memory);
        }
        catch (JsonException)
        {
            await WriteErrorAsync(http, EcrError.Serialization("Start of structure or map found where not expected, or the body is not valid JSON."));
            return;
        }

        using (document)
        {
            if (services.GetRequiredService<RequestValidator>().Validate(operation, document.RootElement) is { } failure)
            {
                await WriteErrorAsync(http, new EcrError(failure.ErrorType, failure.Message));
                return;
            }

            EcrResult result;
            try
            {
                result = await dispatcher.DispatchAsync(
                    new EcrRequest(caller!, operation, document.RootElement, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EcrEndpoint)).OperationFailed(operation.Name, ex);
                result = EcrError.Server();
            }

            if (result.Error is { } error)
            {
                await WriteErrorAsync(http, error);
                return;
            }

            http.Response.StatusCode = StatusCodes.Status200OK;
            await JsonBody.WriteAsync(http.Response, ContentType, result, static (writer, result) => result.WriteBody(writer), cancellationToken);
        }
    }

    private static async Task WriteErrorAsync(HttpContext http, EcrError error)
    {
        http.Response.StatusCode = error.StatusCode;
        http.Response.Headers["x-amzn-ErrorType"] = error.Type;
        await JsonBody.WriteAsync(http.Response, ContentType, error, static (writer, error) =>
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
