using System.Net;
using Berth.Background;
using Berth.Domain;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Oci;

/// <summary>The upload purge job ends sessions idle past UploadMaxAge, metadata and bytes alike.</summary>
public sealed class UploadPurgeTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private UploadPurgeJob PurgeJobAt(DateTimeOffset now)
    {
        var services = fixture.Host.Services;
        return new UploadPurgeJob(
            services.GetRequiredService<IMetadataStore>(),
            services.GetRequiredService<IBlobUploadStore>(),
            fixture.Host.Options,
            new FixedTimeProvider(now),
            NullLogger<UploadPurgeJob>.Instance);
    }

    [Fact]
    public async Task Idle_session_survives_until_it_is_older_than_the_max_age_then_is_gone()
    {
        var repository = await fixture.CreateRepositoryAsync("purge");
        var location = await fixture.Oci.StartUploadAsync(repository);
        using (var patch = await fixture.Oci.PatchAsync(location, [1, 2, 3, 4], "0-3"))
        {
            await OciAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        }

        var id = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);
        var maxAge = fixture.Host.Options.UploadMaxAge;
        var now = DateTimeOffset.UtcNow;

        await PurgeJobAt(now + maxAge - TimeSpan.FromHours(1)).PurgeAsync(CancellationToken.None);

        using (var alive = await fixture.Oci.GetAsync(location))
        {
            await OciAssert.StatusAsync(alive, HttpStatusCode.NoContent);
            Assert.Equal("0-3", OciAssert.Header(alive, "Range"));
        }

        var removed = await PurgeJobAt(now + maxAge + TimeSpan.FromHours(1)).PurgeAsync(CancellationToken.None);

        Assert.True(removed >= 1);
        using var gone = await fixture.Oci.GetAsync(location);
        await OciAssert.ErrorAsync(gone, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        var services = fixture.Host.Services;
        Assert.Null(await services.GetRequiredService<IMetadataStore>().Uploads.GetAsync(id, CancellationToken.None));
        Assert.Null(await services.GetRequiredService<IBlobUploadStore>().GetUploadLengthAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Purge_leaves_finished_blobs_alone()
    {
        var repository = await fixture.CreateRepositoryAsync("purge-blob");
        var blob = await fixture.Oci.PushBlobAsync(repository, "kept after purge");

        await PurgeJobAt(DateTimeOffset.UtcNow + TimeSpan.FromDays(30)).PurgeAsync(CancellationToken.None);

        using var read = await fixture.Oci.GetAsync($"/v2/{repository}/blobs/{blob.Digest}");
        await OciAssert.StatusAsync(read, HttpStatusCode.OK);
        Assert.Equal("kept after purge", await read.Content.ReadAsStringAsync());
    }
}
