using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Storage.Sqlite;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.Tests.Oci;

/// <summary>A manifest naming thousands of unknown blobs is refused with bounded work, outside the single writer.</summary>
public sealed partial class RejectedManifestTests
{
    [Fact]
    public async Task A_manifest_with_many_unknown_layers_is_refused_without_a_write_transaction_naming_at_most_100()
    {
        // Without the background jobs: the test counts every write to the database, and a job's lease renewal or sweep
        // landing during the request would be counted as the request's.
        await using var host = await BerthHost.StartAsync(configureServices: static services =>
        {
            foreach (var job in services.Where(static s => s.ServiceType == typeof(IHostedService) && s.ImplementationType?.Namespace == "Berth.Background").ToList())
            {
                services.Remove(job);
            }
        });
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), static service => service.GetType().Namespace == "Berth.Background");
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"unknown"}""");
        var pusher = new RegistryPusher(host.Client);
        var config = "{}"u8.ToArray();
        var configDigest = await pusher.PushBlobAsync("unknown", config);
        var layers = Enumerable.Range(0, 3000)
            .Select(i => new TestDescriptor(RegistryPusher.OciLayer, RegistryPusher.DigestOf($"unknown layer {i}"), 10))
            .ToList();
        var manifest = RegistryPusher.ImageManifest(new TestDescriptor(RegistryPusher.OciConfig, configDigest, config.Length), layers);
        var database = host.Services.GetRequiredService<SqliteDatabase>();
        var writesBefore = database.Generation;

        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(manifest));
        content.Headers.ContentType = new MediaTypeHeaderValue(RegistryPusher.OciManifest);
        using var response = await host.Client.PutAsync("/v2/unknown/manifests/v1", content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("MANIFEST_BLOB_UNKNOWN", body, StringComparison.Ordinal);
        Assert.Equal(100, DigestPattern().Matches(body).Select(m => m.Value).Distinct().Count());
        Assert.Equal(writesBefore, database.Generation);
    }

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex DigestPattern();
}
