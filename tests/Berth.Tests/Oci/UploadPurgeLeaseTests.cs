using System.Net;
using Berth.Background;
using Berth.Domain;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Oci;

/// <summary>The upload purge job, as hosted, runs only on the node that holds its lease.</summary>
public sealed class UploadPurgeLeaseTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private IMetadataStore Store => fixture.Host.Services.GetRequiredService<IMetadataStore>();

    private UploadPurgeJob NodeJob(TimeProvider time) =>
        new(
            Store,
            fixture.Host.Services.GetRequiredService<IBlobUploadStore>(),
            fixture.Host.Options,
            time,
            NullLogger<UploadPurgeJob>.Instance,
            new JobLeases(Store, fixture.Host.Options, time, NullLoggerFactory.Instance));

    [Fact]
    public async Task The_job_skips_its_run_while_another_node_holds_the_lease_and_runs_once_it_is_free()
    {
        var repository = await fixture.CreateRepositoryAsync("leased-purge");
        var location = await fixture.Oci.StartUploadAsync(repository);
        var id = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);
        // Past the max age, so any run of the job purges the session.
        var later = new FixedTimeProvider(DateTimeOffset.UtcNow + fixture.Host.Options.UploadMaxAge + TimeSpan.FromHours(1));
        // The fixture's own server is the other node: its purge job takes the lease when it starts (taken here too, as
        // the server, in case that first run has not happened yet).
        var server = fixture.Host.Services.GetRequiredService<JobLeases>().NodeId;
        Assert.True(await Store.Leases.TryAcquireAsync("upload-purge", server, JobLease.DefaultTtl, CancellationToken.None));
        Assert.False(await Store.Leases.TryAcquireAsync("upload-purge", "third-node", TimeSpan.FromHours(1), CancellationToken.None));

        var skipping = NodeJob(later);
        await skipping.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await skipping.StopAsync(CancellationToken.None);
        Assert.NotNull(await Store.Uploads.GetAsync(id, CancellationToken.None));

        // The server stops (as if): its lease goes, and this node's next run takes the job.
        await Store.Leases.ReleaseAsync("upload-purge", server, CancellationToken.None);
        var running = NodeJob(later);
        await running.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (await Store.Uploads.GetAsync(id, CancellationToken.None) is not null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Null(await Store.Uploads.GetAsync(id, CancellationToken.None));
        }
        finally
        {
            await running.StopAsync(CancellationToken.None);
        }

        // Stopping released the lease: another node (the server again) takes it at once.
        Assert.True(await Store.Leases.TryAcquireAsync("upload-purge", server, JobLease.DefaultTtl, CancellationToken.None));
        using var gone = await fixture.Oci.GetAsync(location);
        await OciAssert.ErrorAsync(gone, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }
}
