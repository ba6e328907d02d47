using System.Net;
using System.Reflection;
using Berth.Domain;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Tests.Ecr.EcrJson;

namespace Berth.Tests.Domain.Images;

/// <summary>Recording a pull is a write; when writes fail (a full disk) pulls must still be served.</summary>
public sealed class PullRecordTests
{
    [Fact]
    public async Task Pulls_are_served_when_recording_the_pull_time_fails()
    {
        await using var host = await BerthHost.StartAsync(configureServices: FailPullRecords);
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"full"}""");
        var image = await new RegistryPusher(host.Client).PushImageAsync("full", "v1", "full");

        var (status, body, digest) = await new RegistryPusher(host.Client).GetManifestAsync("full", "v1");
        var batch = await host.Ecr().OkAsync("BatchGetImage", Of(new { repositoryName = "full", imageIds = new[] { new { imageTag = "v1" } } }));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(image.Digest, digest);
        Assert.NotEmpty(body);
        Assert.Equal(1, batch.GetProperty("images").GetArrayLength());
    }

    private static void FailPullRecords(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IMetadataStore));
        services.Remove(original);
        services.AddSingleton(provider => (IMetadataStore)new FailingPullsStore((IMetadataStore)original.ImplementationFactory!(provider)));
    }

    private sealed class FailingPullsStore(IMetadataStore inner) : ForwardingMetadataStore(inner)
    {
        public override IImageStore Images { get; } = FailingPullRecorder.Wrap(inner.Images);
    }

    /// <summary>Forwards every image-store call except RecordPullAsync, which fails as a full disk would.</summary>
    public class FailingPullRecorder : DispatchProxy
    {
        private IImageStore _inner = null!;

        public static IImageStore Wrap(IImageStore inner)
        {
            var proxy = Create<IImageStore, FailingPullRecorder>();
            ((FailingPullRecorder)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IImageStore.RecordPullAsync)
                ? Task.FromException(new IOException("No space left on device", 28))
                : targetMethod.Invoke(_inner, args);
    }
}
