using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Berth.Domain;
using Berth.Ecr;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Tests.Ecr.EcrJson;

namespace Berth.Tests.Ecr;

/// <summary>What an attacker's malformed, unsigned or oversized POST / can make the server do: answer a clean 4xx, hold little.</summary>
public sealed class EcrHardeningTests
{
    private const string Account = "123456789012";
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_request_with_an_unknown_access_key_is_refused_before_its_body_is_read()
    {
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4);
        var amzDate = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var body = new CountingStream(32 * MiB);
        var http = Post(body, "UploadLayerPart");
        http.Request.Headers["X-Amz-Date"] = amzDate;
        http.Request.Headers.Authorization =
            $"AWS4-HMAC-SHA256 Credential=AKIANOSUCHKEY0000001/{amzDate[..8]}/us-east-1/ecr/aws4_request, "
            + $"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={new string('0', 64)}";

        await host.Services.GetRequiredService<EcrPipeline>().HandleAsync(http);

        Assert.Equal(400, http.Response.StatusCode);
        Assert.Equal("UnrecognizedClientException", ErrorType(http));
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task A_request_without_a_signature_is_refused_before_its_body_is_read()
    {
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4);
        var body = new CountingStream(32 * MiB);
        var http = Post(body, "UploadLayerPart");

        await host.Services.GetRequiredService<EcrPipeline>().HandleAsync(http);

        Assert.Equal(403, http.Response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", ErrorType(http));
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task A_request_signed_without_X_Amz_Target_is_refused_so_it_cannot_be_replayed_as_another_operation()
    {
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4);
        var credentials = new SigV4Credentials("AKIAHARDENTESTS00001", "harden-tests-secret-00000000000000000000", Account);
        await host.Services.GetRequiredService<IMetadataStore>().AccessKeys.AddAsync(
            new AccessKey(credentials.AccessKeyId, credentials.SecretAccessKey, Account, DateTimeOffset.UtcNow), CancellationToken.None);
        var json = Encoding.UTF8.GetBytes("""{"repositoryName":"replayed"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", EcrClient.TargetPrefix + "CreateRepository");
        SigV4Signer.Sign(request, json, credentials, "us-east-1", DateTimeOffset.UtcNow, signTarget: false);

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("InvalidSignatureException", error.RootElement.GetProperty("__type").GetString());
        await host.Ecr().WithCredentials(credentials).FailsAsync("DescribeRepositories", """{"repositoryNames":["replayed"]}""", "RepositoryNotFoundException");
    }

    [Theory]
    [InlineData("PutLifecyclePolicy", "{\"repositoryName\":\"text\",\"lifecyclePolicyText\":\"{\\\"rules\\\":[]}\xFF\"}")]
    [InlineData("TagResource", "{\"resourceArn\":\"arn:aws:ecr:us-east-1:123456789012:repository/text\",\"tags\":[{\"Key\":\"team\",\"Value\":\"a\xC3\"}]}")]
    [InlineData("PutImage", "{\"repositoryName\":\"text\",\"imageManifest\":\"{}\",\"imageManifestMediaType\":\"application/\xED\xA0\x80json\"}")]
    [InlineData("PutLifecyclePolicy", "{\"repositoryName\":\"text\",\"lifecyclePolicyText\":\"{\\\"rules\\\":[]}\\ud800\"}")]
    [InlineData("PutImage", "{\"repositoryName\":\"text\",\"imageManifest\":\"{}\",\"imageManifestMediaType\":\"application/json\\udc00\"}")]
    public async Task Invalid_UTF8_or_an_unpaired_surrogate_anywhere_in_the_body_is_a_SerializationException(string operation, string latin1Body)
    {
        await using var host = await BerthHost.StartAsync();
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"text"}""");

        // Each char of the test string is one byte on the wire, so it can carry bytes that are not UTF-8.
        var (status, type) = await PostRawAsync(host, operation, Encoding.Latin1.GetBytes(latin1Body));

        Assert.Equal((HttpStatusCode.BadRequest, "SerializationException"), (status, type));
    }

    [Fact]
    public async Task A_body_that_cannot_be_read_answers_400_not_500()
    {
        await using var host = await BerthHost.StartAsync();
        var http = Post(new BadFramingStream(), "DescribeRepositories");

        await host.Services.GetRequiredService<EcrPipeline>().HandleAsync(http);

        Assert.Equal(400, http.Response.StatusCode);
        Assert.Equal("SerializationException", ErrorType(http));
    }

    [Fact]
    public async Task A_body_larger_than_any_legitimate_request_of_its_operation_is_413()
    {
        await using var host = await BerthHost.StartAsync();
        var padded = Encoding.ASCII.GetBytes("{}" + new string(' ', 2 * MiB));

        var (status, type) = await PostRawAsync(host, "DescribeRepositories", padded);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "SerializationException"), (status, type));
    }

    [Fact]
    public async Task BatchGetImage_answers_a_repeated_image_id_once()
    {
        await using var host = await BerthHost.StartAsync();
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"repeat"}""");
        var image = await new RegistryPusher(host.Client).PushImageAsync("repeat", "v1", "repeat");
        var ids = Enumerable.Repeat(new { imageTag = "v1" }, 40).Concat(Enumerable.Repeat(new { imageTag = "missing" }, 40));

        var answer = await host.Ecr().OkAsync("BatchGetImage", Of(new { repositoryName = "repeat", imageIds = ids }));

        var images = answer.GetProperty("images");
        Assert.Equal(1, images.GetArrayLength());
        Assert.Equal(image.Digest, images[0].GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal(1, answer.GetProperty("failures").GetArrayLength());
    }

    [Fact]
    public async Task A_large_request_body_is_not_kept_in_the_shared_pool_after_the_request()
    {
        var http = new DefaultHttpContext();
        http.Request.Body = new MemoryStream(new byte[8 * MiB]);
        http.Request.ContentLength = 8 * MiB;
        byte[] held;
        using (var body = await RequestBody.ReadAsync(http.Request, 32 * MiB, CancellationToken.None))
        {
            Assert.True(MemoryMarshal.TryGetArray(body!.Memory, out var segment));
            held = segment.Array!;
        }

        // The shared pool hands a returned array straight back to the next rent of its size on the same thread.
        var next = ArrayPool<byte>.Shared.Rent(held.Length);
        try
        {
            Assert.NotSame(held, next);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    private static DefaultHttpContext Post(Stream body, string operation)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/";
        http.Request.Host = new HostString("localhost");
        http.Request.ContentType = "application/x-amz-json-1.1";
        http.Request.Headers["X-Amz-Target"] = EcrClient.TargetPrefix + operation;
        http.Request.Body = body;
        http.Response.Body = new MemoryStream();
        return http;
    }

    private static string? ErrorType(DefaultHttpContext http)
    {
        http.Response.Body.Position = 0;
        using var document = JsonDocument.Parse(http.Response.Body);
        return document.RootElement.GetProperty("__type").GetString();
    }

    private static async Task<(HttpStatusCode Status, string? Type)> PostRawAsync(BerthHost host, string operation, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", EcrClient.TargetPrefix + operation);
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.TryGetProperty("__type", out var type) ? type.GetString() : null);
    }

    /// <summary>A request body of <paramref name="length"/> spaces that counts what the server reads of it.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>What Kestrel throws when a chunked body's framing is malformed (an overflowing chunk size).</summary>
    private sealed class BadFramingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new BadHttpRequestException("Bad chunk size data.", StatusCodes.Status400BadRequest);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new BadHttpRequestException("Bad chunk size data.", StatusCodes.Status400BadRequest);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
