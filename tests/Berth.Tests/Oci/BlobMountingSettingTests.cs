using System.Net;
using Berth.Tests.Support;

namespace Berth.Tests.Oci;

/// <summary>
/// The BLOB_MOUNTING account setting on /v2/: enabled, a cross-repository mount links the blob at once (201);
/// disabled, the same request opens an ordinary upload session (202) that the client then fills, as the OCI spec
/// allows a registry to answer a mount it will not do.
/// </summary>
public sealed class BlobMountingSettingTests : IAsyncLifetime
{
    private BerthHost _host = null!;
    private OciClient _oci = null!;

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync();
        _oci = new OciClient(_host.Client);
        await _host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"source"}""");
        await _host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"target"}""");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Disabled_mounting_answers_an_upload_session_that_completes_with_the_blob()
    {
        var blob = await _oci.PushBlobAsync("source", "shared layer");
        await _host.Ecr().OkAsync("PutAccountSetting", """{"name":"BLOB_MOUNTING","value":"DISABLED"}""");

        using var mount = await _oci.PostAsync($"/v2/target/blobs/uploads/?mount={blob.Digest}&from=source");
        await OciAssert.StatusAsync(mount, HttpStatusCode.Accepted);
        Assert.Contains("/v2/target/blobs/uploads/", mount.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using (var before = await _oci.HeadAsync($"/v2/target/blobs/{blob.Digest}"))
        {
            await OciAssert.StatusAsync(before, HttpStatusCode.NotFound);
        }

        var location = OciClient.WithQuery(mount.Headers.Location.OriginalString, "digest", blob.Digest.ToString());
        using (var completed = await _oci.PutAsync(location, "shared layer"u8.ToArray()))
        {
            await OciAssert.StatusAsync(completed, HttpStatusCode.Created);
        }

        using var after = await _oci.HeadAsync($"/v2/target/blobs/{blob.Digest}");
        await OciAssert.StatusAsync(after, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Enabled_mounting_links_the_blob_at_once()
    {
        var blob = await _oci.PushBlobAsync("source", "mounted layer");
        await _host.Ecr().OkAsync("PutAccountSetting", """{"name":"BLOB_MOUNTING","value":"ENABLED"}""");

        using var mount = await _oci.PostAsync($"/v2/target/blobs/uploads/?mount={blob.Digest}&from=source");

        await OciAssert.StatusAsync(mount, HttpStatusCode.Created);
        Assert.Equal(blob.Digest.ToString(), mount.Headers.GetValues("Docker-Content-Digest").Single());
        using var linked = await _oci.HeadAsync($"/v2/target/blobs/{blob.Digest}");
        await OciAssert.StatusAsync(linked, HttpStatusCode.OK);
    }
}
