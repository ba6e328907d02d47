using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Signing;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Signing;

/// <summary>The server as it runs: the background job signs a matching push on its own, woken by the push.</summary>
public sealed class SignOnPushJobTests
{
    [Fact]
    public async Task A_push_is_signed_in_the_background_without_waiting_for_the_poll()
    {
        await using var host = await BerthHost.StartAsync();
        var signing = host.Services.GetRequiredService<SigningService>();
        var arn = (await signing.CreateProfileAsync(new RegistryScope("123456789012", "us-east-1"), "background", SigningKeyAlgorithm.EcdsaP256, 1, CancellationToken.None)).Value.Arn;
        var ecr = host.Ecr();
        await ecr.OkAsync("PutSigningConfiguration", SigningOperationsTests.Configuration(arn, "auto*"));
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"autosigned"}""");

        var image = await new OciClient(host.Client).PushImageAsync("autosigned", "v1", "background");

        var status = "IN_PROGRESS";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (status == "IN_PROGRESS" && DateTime.UtcNow < deadline)
        {
            var answer = await ecr.OkAsync("DescribeImageSigningStatus", JsonSerializer.Serialize(new { repositoryName = "autosigned", imageId = new { imageDigest = image.Digest.ToString() } }));
            status = Assert.Single(answer.GetProperty("signingStatuses").EnumerateArray()).GetProperty("status").GetString()!;
            await Task.Delay(50);
        }

        Assert.Equal("COMPLETE", status);
        using var referrers = await new OciClient(host.Client).GetAsync($"/v2/autosigned/referrers/{image.Digest}");
        var manifests = JsonDocument.Parse(await referrers.Content.ReadAsStringAsync()).RootElement.GetProperty("manifests");
        Assert.Equal(NotarySignature.ArtifactType, Assert.Single(manifests.EnumerateArray()).GetProperty("artifactType").GetString());
    }
}
