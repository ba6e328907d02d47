using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.Oci;

/// <summary>
/// One in-process server shared by the tests of a class; each test works in repositories of its own, so
/// tests stay independent without paying a server start each.
/// </summary>
public sealed class OciFixture : IAsyncLifetime
{
    private int _next;

    public BerthHost Host { get; private set; } = null!;

    public OciClient Oci => new(Host.Client);

    public EcrClient Ecr => Host.Ecr();

    public async Task InitializeAsync() => Host = await BerthHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Creates a repository with a fresh name starting with <paramref name="prefix"/> and returns the name.</summary>
    public async Task<string> CreateRepositoryAsync(string prefix = "repo", string mutability = "MUTABLE", params string[] exclusionFilters)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _next)}";
        await CreateRepositoryAsync(Ecr, name, mutability, exclusionFilters);
        return name;
    }

    /// <summary>CreateRepository through the ECR API, with mutability settings.</summary>
    public static async Task CreateRepositoryAsync(EcrClient ecr, string name, string mutability = "MUTABLE", params string[] exclusionFilters)
    {
        var request = new Dictionary<string, object> { ["repositoryName"] = name, ["imageTagMutability"] = mutability };
        if (exclusionFilters.Length > 0)
        {
            request["imageTagMutabilityExclusionFilters"] = exclusionFilters.Select(f => new Dictionary<string, string> { ["filterType"] = "WILDCARD", ["filter"] = f }).ToArray();
        }

        await ecr.OkAsync("CreateRepository", JsonSerializer.Serialize(request));
    }
}
