using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Tests.Storage;
using Berth.Tests.Support;
using static Berth.Tests.Ecr.EcrJson;

namespace Berth.Tests.Ecr;

/// <summary>
/// BatchGetImage over many large manifests sends its answer as it reads them: the server never holds the whole answer.
/// Measured process-wide, so it runs while no other test does.
/// </summary>
[Collection(nameof(AllocationMeasuringCollection))]
public sealed class BatchGetImageMemoryTests
{
    private const int MiB = 1024 * 1024;

    // 40 distinct manifests just under the 4 MiB limit: an answer of about 160 MiB.
    private const int Images = 40;
    private const int AnnotationLength = (4 * MiB) - 4096;

    // Generous (about 9 MiB is measured): a manifest as bytes and as JSON, the send buffer and the response pipe. The
    // whole answer held, or a 4 MiB manifest escaped as one string (whose pooled buffers stay), is well over it.
    private const long HeldBudget = 64L * MiB;

    [Fact]
    public async Task A_BatchGetImage_answer_of_160_MiB_is_sent_without_the_server_holding_it()
    {
        // A real socket: the client reading slowly holds the server back, as it would in production.
        await using var host = await KestrelHost.StartAsync();
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"large"}""");
        var pusher = new RegistryPusher(host.Client);
        var first = await pusher.PushImageAsync("large", "t0", "large", annotation: Annotation(0));
        var digests = new List<string> { first.Digest };
        for (var i = 1; i < Images; i++)
        {
            var manifest = RegistryPusher.ImageManifest(first.Config, first.Layers, annotation: Annotation(i));
            digests.Add(await pusher.PushManifestAsync("large", "t" + i, manifest));
        }

        // 100 ids, the model's limit: each image by tag, then repeats that must not be answered again.
        var ids = Enumerable.Range(0, 100).Select(i => new { imageTag = "t" + (i % Images) });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(Of(new { repositoryName = "large", imageIds = ids }), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", EcrClient.TargetPrefix + "BatchGetImage");
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential=123456789012/{DateTime.UtcNow:yyyyMMdd}/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=0");

        // Sized before the baseline, so what the test receives is not counted as held by the server.
        var received = new MemoryStream((Images * 4 * MiB) + MiB);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await CopyAsync(stream, received, 16 * MiB);

        // The server is now waiting for the client to read on; whatever it holds for this answer is live.
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        await stream.CopyToAsync(received);

        Assert.True(held < HeldBudget, $"The server held {held / MiB} MiB while sending a {received.Length / MiB} MiB answer.");
        Assert.Null(response.Content.Headers.ContentLength);
        using var answer = JsonDocument.Parse(received.GetBuffer().AsMemory(0, (int)received.Length));
        var images = answer.RootElement.GetProperty("images");
        Assert.Equal(digests, images.EnumerateArray().Select(i => i.GetProperty("imageId").GetProperty("imageDigest").GetString()!));
        Assert.Equal(RegistryPusher.DigestOf(images[Images - 1].GetProperty("imageManifest").GetString()!), digests[^1]);
        Assert.Equal(0, answer.RootElement.GetProperty("failures").GetArrayLength());
    }

    [Fact]
    public async Task A_small_BatchGetImage_answer_keeps_its_Content_Length()
    {
        await using var host = await BerthHost.StartAsync();
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"small"}""");
        await new RegistryPusher(host.Client).PushImageAsync("small", "v1", "small");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("""{"repositoryName":"small","imageIds":[{"imageTag":"v1"},{"imageTag":"nope"}]}""", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", EcrClient.TargetPrefix + "BatchGetImage");
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential=123456789012/{DateTime.UtcNow:yyyyMMdd}/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        using var answer = JsonDocument.Parse(body);
        Assert.Equal(1, answer.RootElement.GetProperty("images").GetArrayLength());
        Assert.Equal("ImageNotFound", answer.RootElement.GetProperty("failures")[0].GetProperty("failureCode").GetString());
    }

    private static string Annotation(int index) =>
        index.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + new string('a', AnnotationLength);

    private static async Task CopyAsync(Stream from, Stream to, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)));
            Assert.True(read > 0, "The answer ended early.");
            to.Write(buffer, 0, read);
            count -= read;
        }
    }
}
