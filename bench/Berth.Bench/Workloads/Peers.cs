using Berth.Bench.Http;
using Berth.Bench.Processes;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>Starting the peers, or saying clearly why one is missing; plus the ECR set-up both sides share.</summary>
public static class Peers
{
    /// <summary>docker-registry on a fresh dir, or no server and the reason it is missing.</summary>
    public static async Task<(DistributionServer? Server, string? Missing)> StartDistributionAsync(BenchContext context, string name)
    {
        if (Tools.Missing(context.Tools.DockerRegistry, "docker-registry", "apt-get install docker-registry") is { } missing)
        {
            return (null, missing);
        }

        try
        {
            return (await DistributionServer.StartAsync(context, context.NewDir(name)), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            return (null, "failed to start docker-registry: " + FirstLine(ex.Message));
        }
    }

    public static async Task<(MotoServer? Server, string? Missing)> StartMotoAsync(BenchContext context, string name)
    {
        if (Tools.Missing(context.Tools.MotoServer, "moto_server", "pip install 'moto[server]==5.2.1'") is { } missing)
        {
            return (null, missing);
        }

        try
        {
            return (await MotoServer.StartAsync(context, context.NewDir(name)), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            return (null, "failed to start moto_server: " + FirstLine(ex.Message));
        }
    }

    /// <summary>CreateRepository (Berth needs it before a /v2/ push; moto before PutImage); returns the repository ARN.</summary>
    public static async Task<string> CreateRepositoryAsync(EcrClient ecr, string name, bool withTags = false)
    {
        var tags = withTags
            ? ",\"tags\":[{\"Key\":\"team\",\"Value\":\"bench\"},{\"Key\":\"cost-center\",\"Value\":\"1234\"},{\"Key\":\"env\",\"Value\":\"test\"}]"
            : string.Empty;
        var answer = await ecr.CallAsync("CreateRepository", $"{{\"repositoryName\":{Json.Str(name)}{tags}}}");
        return answer.GetProperty("repository").GetProperty("repositoryArn").GetString()!;
    }

    public static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }
}
