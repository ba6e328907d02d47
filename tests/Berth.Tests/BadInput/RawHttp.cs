using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.BadInput;

/// <summary>An HTTP answer: status, headers (last value wins) and body text.</summary>
public sealed record RawResponse(int StatusCode, Dictionary<string, string> Headers, string Body);

/// <summary>Sends raw HTTP/1.1 bytes on a fresh connection, half-closes it and reads the one answer.</summary>
public static class RawHttp
{
    /// <summary>
    /// Sends <paramref name="request"/> and reads one answer. With <paramref name="hangUp"/>, the client half-closes the
    /// connection after the bytes, as a client that dies mid-body does; the server then sees the request aborted and no
    /// answer is expected (status 0).
    /// </summary>
    public static async Task<RawResponse> SendAsync(BadInputServer server, byte[] request, bool hangUp)
    {
        var endpoint = new Uri(server.Endpoint);
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        if (hangUp)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[16 * 1024];
        try
        {
            while (!IsComplete(received.GetBuffer().AsSpan(0, (int)received.Length)))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (hangUp)
        {
            // The server reset the connection of a client that hung up: there is no answer to read.
        }

        return received.Length == 0 && hangUp
            ? new RawResponse(0, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), string.Empty)
            : Parse(received.ToArray());
    }

    /// <summary>Whether a whole response (head and body, by Content-Length or chunks) has arrived.</summary>
    private static bool IsComplete(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var head = text[..end];
        var body = text.Length - end - 4;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return body >= int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return head.Contains("chunked", StringComparison.OrdinalIgnoreCase) ? text.EndsWith("0\r\n\r\n", StringComparison.Ordinal) : false;
    }

    /// <summary>The head of a request to <paramref name="pathAndQuery"/>, ending in the blank line.</summary>
    public static string Head(BadInputServer server, string method, string pathAndQuery, params string[] headers) =>
        $"{method} {pathAndQuery} HTTP/1.1\r\nHost: {new Uri(server.Endpoint).Authority}\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";

    private static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, "no complete response head: " + text);
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        var body = text[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)));
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (at < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = int.Parse(body.AsSpan(at, lineEnd - at), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                break;
            }

            result.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}
