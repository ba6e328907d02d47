using System.Net;
using System.Reflection;
using Berth.Domain;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Tests.Ecr.EcrJson;

namespace Berth.Tests.Oci;

/// <summary>A write that fails because the disk is full answers the protocol's error shape saying so.</summary>
public sealed class StorageFullTests
{
    [Fact]
    public async Task An_upload_on_a_full_disk_answers_507_with_an_OCI_error_body()
    {
        await using var host = await BerthHost.StartAsync(configureServices: FailUploads);
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"full"}""");
        var content = RegistryPusher.Bytes("full", 100);

        using var started = await host.Client.PostAsync("/v2/full/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        using var response = await host.Client.PatchAsync(started.Headers.Location, new ByteArrayContent(content));

        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        Assert.Contains("storage is full", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ECR_layer_part_on_a_full_disk_answers_a_ServerException_saying_so()
    {
        await using var host = await BerthHost.StartAsync(configureServices: FailUploads);
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"full"}""");
        var uploadId = (await host.Ecr().OkAsync("InitiateLayerUpload", """{"repositoryName":"full"}""")).GetProperty("uploadId").GetString();
        var part = Convert.ToBase64String(RegistryPusher.Bytes("part", 100));

        var message = await host.Ecr().FailsAsync(
            "UploadLayerPart",
            Of(new { repositoryName = "full", uploadId, partFirstByte = 0, partLastByte = 99, layerPartBlob = part }),
            "ServerException",
            HttpStatusCode.InternalServerError);

        Assert.Contains("storage is full", message, StringComparison.Ordinal);
    }

    private static void FailUploads(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IBlobUploadStore));
        services.Remove(original);
        services.AddSingleton(provider => FullDisk.Wrap((IBlobUploadStore)original.ImplementationFactory!(provider)));
    }

    /// <summary>Forwards every upload-store call except appends, which fail as on a full disk (ENOSPC).</summary>
    public class FullDisk : DispatchProxy
    {
        private IBlobUploadStore _inner = null!;

        public static IBlobUploadStore Wrap(IBlobUploadStore inner)
        {
            var proxy = Create<IBlobUploadStore, FullDisk>();
            ((FullDisk)(object)proxy)._inner = inner;
            return proxy;
        }

        // The proxy returns the ValueTask boxed, to be awaited once by the caller, as any implementation would.
#pragma warning disable CA2012
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IBlobUploadStore.AppendAsync)
                ? ValueTask.FromException<AppendResult>(new IOException("No space left on device", 28))
                : targetMethod.Invoke(_inner, args);
#pragma warning restore CA2012
    }
}
