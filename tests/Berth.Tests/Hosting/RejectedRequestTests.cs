using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.Hosting;

/// <summary>
/// Requests the web server refuses by itself answer the protocol's error body, checked as bytes on the wire over a
/// real socket (the in-process test server has no HTTP parser to refuse them).
/// </summary>
public sealed class RejectedRequestTests : IAsyncLifetime
{
    private const string Credential = "Authorization: AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=0\r\n";

    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Headers_too_large_on_POST_slash_answer_431_with_an_AWS_error()
    {
        var answer = await SendAsync($"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonEC2ContainerRegistry_V20150921.ListImages\r\n{Credential}X-Pad: {new string('a', 40_000)}\r\nContent-Length: 2\r\n\r\n{{}}");

        Assert.Equal(431, answer.Status);
        Assert.Equal("SerializationException", answer.Header("x-amzn-ErrorType"));
        Assert.Equal("SerializationException", answer.Json.GetProperty("__type").GetString());
        Assert.Contains("headers", answer.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headers_too_large_under_v2_answer_431_with_an_OCI_error()
    {
        var answer = await SendAsync($"GET /v2/repo/tags/list HTTP/1.1\r\nHost: x\r\nX-Pad: {new string('a', 40_000)}\r\n\r\n");

        Assert.Equal(431, answer.Status);
        Assert.Equal("application/json", answer.Header("Content-Type"));
        Assert.Equal("UNSUPPORTED", answer.Json.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_request_line_too_long_answers_414_with_a_body_both_protocols_read()
    {
        var answer = await SendAsync($"GET /v2/{new string('a', 10_000)}/tags/list HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(414, answer.Status);
        Assert.Equal("UNSUPPORTED", answer.Json.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal("SerializationException", answer.Json.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Invalid_bytes_in_a_header_value_answer_400_with_an_OCI_error()
    {
        var request = Encoding.ASCII.GetBytes("GET /v2/repo/tags/list HTTP/1.1\r\nHost: x\r\nX-Bad: a").Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.ASCII.GetBytes("\r\n\r\n")).ToArray();

        var answer = await SendAsync(request);

        Assert.True(answer.Status == 400, Encoding.UTF8.GetString(answer.Body));
        Assert.Equal("UNSUPPORTED", answer.Json.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invalid_bytes_in_a_header_on_POST_slash_answer_400_with_an_AWS_error()
    {
        var request = Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: x\r\n{Credential}X-Bad: a").Concat(new byte[] { 0xFF }).Concat(Encoding.ASCII.GetBytes("\r\nContent-Length: 2\r\n\r\n{}")).ToArray();

        var answer = await SendAsync(request);

        Assert.True(answer.Status == 400, Encoding.UTF8.GetString(answer.Body));
        Assert.Equal("SerializationException", answer.Json.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task A_NUL_in_the_path_answers_400_with_a_body()
    {
        var answer = await SendAsync("GET /v2/re%00po/tags/list HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.True(answer.Status == 400, Encoding.UTF8.GetString(answer.Body));
        Assert.Equal("UNSUPPORTED", answer.Json.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_overflowing_chunk_size_on_POST_slash_answers_400_SerializationException()
    {
        var answer = await SendAsync($"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonEC2ContainerRegistry_V20150921.DescribeRepositories\r\n{Credential}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n{{}}\r\n0\r\n\r\n");

        Assert.True(answer.Status == 400, Encoding.UTF8.GetString(answer.Body));
        Assert.Equal("SerializationException", answer.Json.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task An_overflowing_chunk_size_in_an_upload_answers_400_with_an_OCI_error()
    {
        await _host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"repo"}""");
        using var started = await _host.Client.PostAsync("/v2/repo/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.OriginalString;

        var answer = await SendAsync($"PATCH {location} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n");

        Assert.True(answer.Status == 400, Encoding.UTF8.GetString(answer.Body));
        Assert.Equal("BLOB_UPLOAD_INVALID", answer.Json.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_HEAD_refused_by_the_server_stays_bodiless()
    {
        var answer = await SendAsync($"HEAD /v2/repo/manifests/v1 HTTP/1.1\r\nHost: x\r\nX-Pad: {new string('a', 40_000)}\r\n\r\n");

        Assert.Equal(431, answer.Status);
        Assert.Empty(answer.Body);
    }

    private Task<RawAnswer> SendAsync(string request) => SendAsync(Encoding.Latin1.GetBytes(request));

    private async Task<RawAnswer> SendAsync(byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _host.Address.Port);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.WriteAsync(request, timeout.Token);

        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // The server may reset a connection whose request it did not read to the end; what came before counts.
        }

        return RawAnswer.Parse(received.ToArray());
    }

    private sealed record RawAnswer(int Status, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public string? Header(string name) =>
            Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

        public static RawAnswer Parse(byte[] bytes)
        {
            var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            Assert.True(end > 0, "No response head: " + Encoding.Latin1.GetString(bytes));
            var lines = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
            var body = bytes[(end + 4)..];
            var answer = new RawAnswer(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, body);
            if (answer.Header("Content-Length") is { } length)
            {
                Assert.Equal(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), body.Length);
            }

            return answer;
        }
    }
}
