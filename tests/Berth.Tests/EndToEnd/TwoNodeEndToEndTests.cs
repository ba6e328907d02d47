using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3.Model;
using Berth.Tests.Storage;
using Berth.Tests.Storage.Postgres;
using Berth.Tests.Storage.S3;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Two real Berth processes on two ports, sharing one PostgreSQL database and one S3 bucket, as several nodes behind
/// a load balancer would: whatever one node accepted, the other serves; an upload continues on either; the background
/// jobs run on one of them and move when it dies; a node killed mid-push loses nothing that was acknowledged.
/// </summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
[RequiresEnvironment(TestS3.Variable, TestS3.SkipReason)]
public sealed class TwoNodeEndToEndTests(TwoNodeFixture nodes) : IClassFixture<TwoNodeFixture>
{
    private static readonly string[] ManifestTypes =
    [
        RegistryPusher.OciManifest, RegistryPusher.OciIndex, RegistryPusher.DockerManifest, RegistryPusher.DockerManifestList,
    ];

    [E2EFact(Tools.Skopeo)]
    public async Task An_image_pushed_with_skopeo_through_A_pulls_through_B_with_the_same_digests()
    {
        await nodes.EnsureRunningAsync();
        await CreateRepositoryAsync(nodes.A, "two/skopeo");
        using var work = new TempDirectory();
        var layout = new OciLayoutBuilder(work.Path);
        var image = layout.AddImage("v1", ImageFlavor.Oci, layers: 2, bytesPerLayer: 64 * 1024);
        using var skopeo = new Skopeo(nodes.Password);

        Skopeo.Ok(skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), $"docker://{nodes.A.Registry}/two/skopeo:v1"));

        var pulledPath = skopeo.NewDirectory("pulled");
        Skopeo.Ok(skopeo.Copy($"docker://{nodes.B.Registry}/two/skopeo:v1", $"oci:{pulledPath}:pulled", "--preserve-digests"));
        var pulled = PulledImage.FromOciLayout(pulledPath, "pulled");
        Assert.Equal(image.Digest, pulled.Digest);
        Assert.Equal(image.AllDigests.Order(StringComparer.Ordinal), pulled.AllDigests.Order(StringComparer.Ordinal));
        Assert.Equal(image.Digest, skopeo.ManifestDigest($"docker://{nodes.B.Registry}/two/skopeo:v1"));
    }

    [Fact]
    public async Task A_chunked_upload_started_on_A_and_finished_on_B_is_one_blob_both_serve()
    {
        await nodes.EnsureRunningAsync();
        await CreateRepositoryAsync(nodes.A, "two/chunked");
        using var a = nodes.Http(nodes.A);
        using var b = nodes.Http(nodes.B);
        // Uneven chunks on both sides of S3's 5 MiB minimum part, and a last piece carried by the closing PUT.
        byte[][] chunks = [RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5), RandomNumberGenerator.GetBytes(7 * 1024 * 1024 - 3),
            RandomNumberGenerator.GetBytes(1024 * 1024 + 17), RandomNumberGenerator.GetBytes(513)];
        var blob = chunks.SelectMany(c => c).ToArray();
        var digest = RegistryPusher.DigestOf(blob);

        using var started = await a.PostAsync("/v2/two/chunked/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = Location(started);
        long offset = 0;
        foreach (var (client, chunk) in new[] { (a, chunks[0]), (b, chunks[1]), (b, chunks[2]) })
        {
            using var content = new ByteArrayContent(chunk);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + chunk.Length - 1}");
            using var patched = await client.PatchAsync(location, content);
            Assert.True(patched.StatusCode == HttpStatusCode.Accepted, $"PATCH at {offset}: {(int)patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
            offset += chunk.Length;
            Assert.Equal($"0-{offset - 1}", patched.Headers.GetValues("Range").Single());
            location = Location(patched);
        }

        // Not a blob until the upload is closed: neither node shows it.
        Assert.Equal(HttpStatusCode.NotFound, await BlobStatusAsync(a, "two/chunked", digest));
        using (var last = new ByteArrayContent(chunks[3]))
        {
            last.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var closed = await b.PutAsync(location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + digest, last);
            Assert.True(closed.StatusCode == HttpStatusCode.Created, $"closing PUT: {(int)closed.StatusCode} {await closed.Content.ReadAsStringAsync()}");
            Assert.Equal(digest, closed.Headers.GetValues("Docker-Content-Digest").Single());
        }

        foreach (var client in new[] { a, b })
        {
            var served = await client.GetByteArrayAsync($"/v2/two/chunked/blobs/{digest}");
            Assert.Equal(blob.Length, served.Length);
            Assert.Equal(digest, RegistryPusher.DigestOf(served));
        }
    }

    [Fact]
    public async Task A_lifecycle_run_expires_what_the_policy_says_on_both_nodes_while_pushes_through_B_go_on()
    {
        await nodes.EnsureRunningAsync();
        const string repository = "two/lifecycle";
        await CreateRepositoryAsync(nodes.A, repository);
        using var a = nodes.Http(nodes.A);
        using var b = nodes.Http(nodes.B);
        await nodes.Ecr(nodes.A).OkAsync("PutLifecyclePolicy", PolicyRequest(repository, """
            {"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]}
            """));

        // Pushes through B all along, one after another, while the scheduled job applies the policy.
        using var stop = new CancellationTokenSource();
        var pushedThroughB = Task.Run(async () =>
        {
            var pushed = new List<string>();
            while (!stop.IsCancellationRequested)
            {
                var tag = $"keep-{pushed.Count}";
                await new RegistryPusher(b).PushImageAsync(repository, tag, "lifecycle-" + tag);
                pushed.Add(tag);
                await Task.Delay(50);
            }

            return pushed;
        });
        var versions = new Dictionary<string, string>();
        try
        {
            var pusher = new RegistryPusher(a);
            for (var i = 1; i <= 4; i++)
            {
                versions[$"v{i}"] = (await pusher.PushImageAsync(repository, $"v{i}", $"lifecycle-v{i}")).Digest;
            }

            // The two oldest v* images go, on both nodes; the two newest stay.
            await WaitUntilAsync(
                async () => await ManifestStatusAsync(a, repository, versions["v1"]) == HttpStatusCode.NotFound
                    && await ManifestStatusAsync(b, repository, versions["v2"]) == HttpStatusCode.NotFound,
                TimeSpan.FromSeconds(30), "the lifecycle job to expire v1 and v2");
        }
        finally
        {
            await stop.CancelAsync();
        }

        var keep = await pushedThroughB;
        Assert.NotEmpty(keep);
        foreach (var client in new[] { a, b })
        {
            Assert.Equal(HttpStatusCode.NotFound, await ManifestStatusAsync(client, repository, versions["v1"]));
            Assert.Equal(HttpStatusCode.NotFound, await ManifestStatusAsync(client, repository, versions["v2"]));
            Assert.Equal(HttpStatusCode.OK, await ManifestStatusAsync(client, repository, "v3"));
            Assert.Equal(HttpStatusCode.OK, await ManifestStatusAsync(client, repository, "v4"));
        }

        foreach (var node in new[] { nodes.A, nodes.B })
        {
            var described = await nodes.Ecr(node).OkAsync("DescribeImages", $$"""{"repositoryName":"{{repository}}","maxResults":1000}""");
            var tags = described.GetProperty("imageDetails").EnumerateArray()
                .SelectMany(d => d.GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()!))
                .Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(keep.Concat(["v3", "v4"]).Order(StringComparer.Ordinal).ToArray(), tags);
        }
    }

    [E2EFact(Tools.Skopeo)]
    public async Task A_push_cut_by_killing_A_leaves_no_blob_and_its_retry_through_B_completes()
    {
        await nodes.EnsureRunningAsync();
        const string repository = "two/crash";
        await CreateRepositoryAsync(nodes.A, repository);
        using var work = new TempDirectory();
        var layout = new OciLayoutBuilder(work.Path);
        var image = layout.AddImage("v1", ImageFlavor.Oci, layers: 1, bytesPerLayer: 24 * 1024 * 1024);
        var layer = image.LayerDigests[0];
        using var a = nodes.Http(nodes.A);
        using var b = nodes.Http(nodes.B);

        // The layer streamed to A in one PATCH, held after 16 MiB; A dies once it has sent a part of it to S3.
        using var started = await a.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = Location(started);
        var halfway = new TaskCompletionSource();
        var killed = new TaskCompletionSource();
        using var body = new StreamContent(new HaltingStream(File.OpenRead(layout.BlobPath(layer)), 16 * 1024 * 1024, halfway, killed.Task));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var push = a.PatchAsync(location, body);
        try
        {
            await halfway.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await WaitUntilAsync(() => HasPartsInS3Async(location), TimeSpan.FromSeconds(30), "A to send a part of the layer to S3");
            await nodes.A.StopAsync(kill: true);
        }
        finally
        {
            killed.TrySetResult();
        }

        await Assert.ThrowsAnyAsync<Exception>(() => push);

        // Nothing of the cut push is visible through B: no blob, no manifest, and the upload still at its start.
        Assert.Equal(HttpStatusCode.NotFound, await BlobStatusAsync(b, repository, layer));
        Assert.Equal(HttpStatusCode.NotFound, await ManifestStatusAsync(b, repository, "v1"));
        using (var status = await b.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal("0-0", status.Headers.GetValues("Range").Single());
        }

        // The client retries through B, which takes the whole push.
        using var skopeo = new Skopeo(nodes.Password);
        Skopeo.Ok(skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), $"docker://{nodes.B.Registry}/{repository}:v1"));

        await nodes.EnsureRunningAsync();
        foreach (var node in new[] { nodes.B, nodes.A })
        {
            var pulledPath = skopeo.NewDirectory("pulled");
            Skopeo.Ok(skopeo.Copy($"docker://{node.Registry}/{repository}:v1", $"oci:{pulledPath}:pulled", "--preserve-digests"));
            var pulled = PulledImage.FromOciLayout(pulledPath, "pulled");
            Assert.Equal(image.Digest, pulled.Digest);
            Assert.Equal(image.AllDigests.Order(StringComparer.Ordinal), pulled.AllDigests.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task The_lifecycle_job_moves_to_B_when_A_dies_holding_its_lease()
    {
        await nodes.EnsureRunningAsync();
        await MakeAHoldTheLifecycleLeaseAsync();
        var holderA = TwoNodeFixture.LastHolderId(nodes.A, "lifecycle")!;
        Assert.Equal(holderA, await nodes.LeaseHolderAsync("lifecycle"));

        await nodes.A.StopAsync(kill: true);

        // A policy set after A's death: only B can apply it, once A's lease has expired.
        const string repository = "two/handover";
        await CreateRepositoryAsync(nodes.B, repository);
        using var b = nodes.Http(nodes.B);
        var pusher = new RegistryPusher(b);
        var old = await pusher.PushImageAsync(repository, "old", "handover-old");
        await pusher.PushImageAsync(repository, "new", "handover-new");
        await nodes.Ecr(nodes.B).OkAsync("PutLifecyclePolicy", PolicyRequest(repository, """
            {"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}
            """));

        await WaitUntilAsync(
            async () => await ManifestStatusAsync(b, repository, old.Digest) == HttpStatusCode.NotFound,
            TwoNodeFixture.JobLeaseTtl + TimeSpan.FromSeconds(20), "B's lifecycle job to expire the older image");
        Assert.Equal(HttpStatusCode.OK, await ManifestStatusAsync(b, repository, "new"));
        var holderB = TwoNodeFixture.LastHolderId(nodes.B, "lifecycle");
        Assert.NotNull(holderB);
        Assert.NotEqual(holderA, holderB);
        Assert.Equal(holderB, await nodes.LeaseHolderAsync("lifecycle"));
    }

    /// <summary>
    /// A holds the lifecycle lease when it took it last and the database names it; otherwise B stops gracefully
    /// (releasing it), A takes it on its next run, and B starts again.
    /// </summary>
    private async Task MakeAHoldTheLifecycleLeaseAsync()
    {
        async Task<bool> AHoldsIt() =>
            TwoNodeFixture.LastHolderId(nodes.A, "lifecycle") is { } holder && holder == await nodes.LeaseHolderAsync("lifecycle");

        await WaitUntilAsync(async () => await AHoldsIt() || TwoNodeFixture.LastHolderId(nodes.B, "lifecycle") == await nodes.LeaseHolderAsync("lifecycle"),
            TimeSpan.FromSeconds(20), "either node to take the lifecycle lease");
        if (!await AHoldsIt())
        {
            await nodes.B.StopAsync();
            await WaitUntilAsync(AHoldsIt, TimeSpan.FromSeconds(20), "A to take the lifecycle lease B released");
            await nodes.B.StartAgainAsync();
        }
    }

    /// <summary>Whether the S3 multipart upload behind the /v2/ upload at <paramref name="location"/> has a part yet.</summary>
    private async Task<bool> HasPartsInS3Async(string location)
    {
        var id = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);
        using var s3 = TestS3.Client(TestS3.Options(nodes.Bucket, nodes.Prefix, redirect: false));
        var listed = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = nodes.Bucket, Prefix = nodes.Prefix + "/uploads/" });
        foreach (var upload in listed.MultipartUploads ?? [])
        {
            if (upload.Key.Contains(id.ToString("N"), StringComparison.Ordinal) || upload.Key.Contains(id.ToString("D"), StringComparison.Ordinal))
            {
                var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = nodes.Bucket, Key = upload.Key, UploadId = upload.UploadId });
                if (parts.Parts is { Count: > 0 })
                {
                    return true;
                }
            }
        }

        return false;
    }

    private async Task CreateRepositoryAsync(ServerProcess node, string name) =>
        await nodes.Ecr(node).OkAsync("CreateRepository", $$"""{"repositoryName":"{{name}}"}""");

    private static string PolicyRequest(string repository, string policy) =>
        $$"""{"repositoryName":"{{repository}}","lifecyclePolicyText":{{JsonSerializer.Serialize(policy.Trim())}}}""";

    private static string Location(HttpResponseMessage response) =>
        response.Headers.Location is { } location
            ? (location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString)
            : throw new InvalidOperationException($"no Location in a {(int)response.StatusCode} answer");

    private static async Task<HttpStatusCode> BlobStatusAsync(HttpClient node, string repository, string digest)
    {
        using var head = await node.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"));
        return head.StatusCode;
    }

    private static async Task<HttpStatusCode> ManifestStatusAsync(HttpClient node, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd(string.Join(", ", ManifestTypes));
        using var head = await node.SendAsync(request);
        return head.StatusCode;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {within.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s waiting for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>Reads through until <paramref name="haltAt"/> bytes, says so, then waits for the server's death and fails the body.</summary>
    private sealed class HaltingStream(Stream inner, long haltAt, TaskCompletionSource halfway, Task killed) : TestReadStream
    {
        private long _read;

        // HttpClient reads a request body asynchronously; the wait for the kill must not block a thread.
        public override int Read(Span<byte> buffer) => throw new NotSupportedException("read asynchronously");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= haltAt)
            {
                halfway.TrySetResult();
                await killed.WaitAsync(cancellationToken);
                throw new IOException("the client gives up on the dead node");
            }

            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, haltAt - _read)], cancellationToken);
            _read += read;
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
