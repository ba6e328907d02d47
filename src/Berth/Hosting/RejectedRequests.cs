using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Hosting;

/// <summary>
/// Gives the requests Kestrel refuses by itself (request line or headers too long, bytes a header may not hold, a
/// NUL in the path, broken chunked framing) the error body of the protocol they were sent to, instead of Kestrel's
/// empty one.
/// </summary>
/// <remarks>
/// Kestrel refuses these before any middleware runs and offers no hook to write the answer. Two public seams meet
/// here: its "BadRequest" diagnostic event, raised with the refused request's features just before the refusal is
/// written, marks the connection; a connection middleware wraps each connection's output and, once marked, rewrites
/// the refusal's empty-bodied head (<see cref="RejectionResponseWriter"/>). Only a refusal Kestrel writes whole is
/// rewritten; anything else passes through untouched.
/// </remarks>
public sealed class RejectedRequests : IObserver<KeyValuePair<string, object?>>
{
    /// <summary>The diagnostic event Kestrel raises for each request it refuses.</summary>
    public const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private readonly ConcurrentDictionary<string, RejectionResponseWriter> _connections = new(StringComparer.Ordinal);

    /// <summary>The connection middleware: wraps the connection's output for as long as it is open.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var transport = connection.Transport;
        var writer = new RejectionResponseWriter(transport.Output);
        connection.Transport = new Duplex(transport.Input, writer);
        _connections[connection.ConnectionId] = writer;
        try
        {
            await next(connection);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
            connection.Transport = transport;
        }
    };

    /// <summary>Listens for Kestrel's refusals on the host's diagnostic listener.</summary>
    public IDisposable Subscribe(DiagnosticListener listener) =>
        listener.Subscribe(this, static name => string.Equals(name, BadRequestEvent, StringComparison.Ordinal));

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features
            || features.Get<IHttpConnectionFeature>()?.ConnectionId is not { } connectionId
            || !_connections.TryGetValue(connectionId, out var writer))
        {
            return;
        }

        var request = features.Get<IHttpRequestFeature>();
        var error = features.Get<IBadRequestExceptionFeature>()?.Error;
        writer.Reject(new Rejection(request?.Method, string.IsNullOrEmpty(request?.Path) ? null : request.Path, error?.Message));
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}

/// <summary>What is known of a request Kestrel refused: its method and path when it got that far, and why.</summary>
public sealed record Rejection(string? Method, string? Path, string? Reason);
