using System.Net;
using System.Text;
using Berth.Domain;
using Berth.Tests.Support;

namespace Berth.Tests.Oci;

/// <summary>Pushes racing each other: the same blob, and many manifests for one tag.</summary>
public sealed class ConcurrencyTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private const int Pushers = 8;

    private OciClient Oci => fixture.Oci;

    [Fact]
    public async Task Two_monolithic_pushes_of_the_same_blob_both_succeed()
    {
        var repository = await fixture.CreateRepositoryAsync("race-blob");
        for (var round = 0; round < 3; round++)
        {
            var bytes = new byte[256 * 1024];
            new Random(round).NextBytes(bytes);
            var digest = Digest.Compute(bytes);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var pushes = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                return await Oci.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", bytes);
            })).ToArray();
            start.SetResult();
            var responses = await Task.WhenAll(pushes);

            foreach (var response in responses)
            {
                await OciAssert.StatusAsync(response, HttpStatusCode.Created);
                response.Dispose();
            }

            using var read = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}");
            await OciAssert.StatusAsync(read, HttpStatusCode.OK);
            Assert.Equal(bytes, await read.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Concurrent_pushes_to_one_mutable_tag_all_succeed_and_the_tag_ends_on_one_of_them()
    {
        var repository = await fixture.CreateRepositoryAsync("race-mutable");
        var manifests = await ManifestsAsync(repository);

        var responses = await PushAllAsync(repository, manifests);

        foreach (var response in responses)
        {
            await OciAssert.StatusAsync(response, HttpStatusCode.Created);
            response.Dispose();
        }

        var digests = manifests.Select(m => Digest.Compute(Encoding.UTF8.GetBytes(m)).ToString()).ToArray();
        using var head = await Oci.HeadAsync($"/v2/{repository}/manifests/latest");
        Assert.Contains(OciAssert.Header(head, "Docker-Content-Digest"), digests);
        foreach (var (json, digest) in manifests.Zip(digests))
        {
            using var get = await Oci.GetAsync($"/v2/{repository}/manifests/{digest}");
            await OciAssert.StatusAsync(get, HttpStatusCode.OK);
            Assert.Equal(json, await get.Content.ReadAsStringAsync());
        }

        using var tags = await Oci.GetAsync($"/v2/{repository}/tags/list");
        Assert.Equal($$"""{"name":"{{repository}}","tags":["latest"]}""", await tags.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Concurrent_pushes_to_one_immutable_tag_admit_exactly_one()
    {
        var repository = await fixture.CreateRepositoryAsync("race-immutable", "IMMUTABLE");
        var manifests = await ManifestsAsync(repository);

        var responses = await PushAllAsync(repository, manifests);

        string? winner = null;
        var refused = 0;
        foreach (var response in responses)
        {
            if (response.StatusCode == HttpStatusCode.Created)
            {
                Assert.Null(winner);
                winner = OciAssert.Header(response, "Docker-Content-Digest");
            }
            else
            {
                await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
                refused++;
            }

            response.Dispose();
        }

        Assert.NotNull(winner);
        Assert.Equal(Pushers - 1, refused);
        using var head = await Oci.HeadAsync($"/v2/{repository}/manifests/latest");
        Assert.Equal(winner, OciAssert.Header(head, "Docker-Content-Digest"));
    }

    /// <summary>Distinct manifests over one config and layer, differing only in an annotation.</summary>
    private async Task<string[]> ManifestsAsync(string repository)
    {
        var config = await Oci.PushBlobAsync(repository, """{"architecture":"amd64"}""", TestManifests.OciConfig);
        var layer = await Oci.PushBlobAsync(repository, "shared layer");
        return Enumerable.Range(0, Pushers)
            .Select(i => TestManifests.Oci(config, [layer], annotations: new Dictionary<string, string> { ["pusher"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            .ToArray();
    }

    private async Task<HttpResponseMessage[]> PushAllAsync(string repository, string[] manifests)
    {
        // Every push waits on one gate, so they reach the server together.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pushes = manifests.Select(json => Task.Run(async () =>
        {
            await start.Task;
            return await Oci.PutManifestAsync(repository, "latest", json, TestManifests.OciManifest);
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(pushes);
    }
}
