using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Berth.Tests.Events;

/// <summary>A local HTTP listener that records the events POSTed to it; it can answer 500 a number of times first.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private int _failuresLeft;

    /// <param name="failFirst">How many requests to answer 500 before accepting.</param>
    /// <param name="port">The port to listen on (a receiver started again at the same URL); a free one when null.</param>
    public WebhookReceiver(int failFirst = 0, int? port = null)
    {
        _failuresLeft = failFirst;
        if (port is null)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        Port = port.Value;
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public int Port { get; }

    /// <summary>Every request, the refused ones included.</summary>
    public int Requests;

    public IReadOnlyList<Received> Delivered => [.. _received];

    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (_received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return Delivered;
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Interlocked.Increment(ref Requests);
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                context.Response.StatusCode = 500;
            }
            else
            {
                _received.Enqueue(new Received(
                    body.ToArray(),
                    context.Request.ContentType,
                    context.Request.Headers["X-Berth-Signature-256"],
                    context.Request.Headers["X-Berth-Event-Id"],
                    context.Request.Headers["X-Berth-Timestamp"]));
                context.Response.StatusCode = 204;
            }

            context.Response.Close();
        }
    }

    internal sealed record Received(byte[] Body, string? ContentType, string? Signature, string? EventId, string? Timestamp)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public JsonElement Detail => Json.GetProperty("detail");

        public string Type => Json.GetProperty("detail-type").GetString()!;

        public bool SignedWith(string secret) =>
            Signature == "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Body));
    }
}
