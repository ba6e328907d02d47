using System.Diagnostics;
using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.Replication;

/// <summary>What the replication tests share: the accounts and regions, and waiting for a copy to settle.</summary>
internal static class ReplicationHarness
{
    public const string Source = "123456789012";
    public const string Partner = "210987654321";
    public const string Home = "us-east-1";
    public const string West = "us-west-2";

    public static string Configuration(params (string Region, string Registry, string? Prefix)[] rules) =>
        $$$"""{"replicationConfiguration":{"rules":[{{{string.Join(',', rules.Select(Rule))}}}]}}""";

    private static string Rule((string Region, string Registry, string? Prefix) rule) =>
        rule.Prefix is null
            ? $$"""{"destinations":[{"region":"{{rule.Region}}","registryId":"{{rule.Registry}}"}]}"""
            : $$"""{"destinations":[{"region":"{{rule.Region}}","registryId":"{{rule.Registry}}"}],"repositoryFilters":[{"filter":"{{rule.Prefix}}","filterType":"PREFIX_MATCH"}]}""";

    /// <summary>The image's statuses once none is IN_PROGRESS (at most 15 s), by "region/registry".</summary>
    public static async Task<Dictionary<string, JsonElement>> SettledStatusesAsync(EcrClient ecr, string repository, string digest)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var statuses = await StatusesAsync(ecr, repository, digest);
            if (statuses.Values.All(status => status.GetProperty("status").GetString() != "IN_PROGRESS") || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                return statuses;
            }

            await Task.Delay(20);
        }
    }

    public static async Task<Dictionary<string, JsonElement>> StatusesAsync(EcrClient ecr, string repository, string digest)
    {
        var body = await ecr.OkAsync("DescribeImageReplicationStatus", $$$"""{"repositoryName":"{{{repository}}}","imageId":{"imageDigest":"{{{digest}}}"}}""");
        return body.GetProperty("replicationStatuses").EnumerateArray()
            .ToDictionary(status => $"{status.GetProperty("region").GetString()}/{status.GetProperty("registryId").GetString()}", status => status.Clone());
    }

    /// <summary>The digest <paramref name="tag"/> names in a repository of another registry, or null when it has none.</summary>
    public static async Task<string?> TaggedDigestAsync(EcrClient ecr, string repository, string tag)
    {
        var response = await ecr.CallAsync("BatchGetImage", $$"""{"repositoryName":"{{repository}}","imageIds":[{"imageTag":"{{tag}}"}]}""");
        if (response.Status != System.Net.HttpStatusCode.OK)
        {
            return null;
        }

        var images = response.Json.GetProperty("images");
        return images.GetArrayLength() == 0 ? null : images[0].GetProperty("imageId").GetProperty("imageDigest").GetString();
    }

    public static string State(Dictionary<string, JsonElement> statuses, string region, string registry) =>
        statuses[$"{region}/{registry}"].GetProperty("status").GetString()!;

    public static string? FailureCode(Dictionary<string, JsonElement> statuses, string region, string registry) =>
        statuses[$"{region}/{registry}"].TryGetProperty("failureCode", out var code) ? code.GetString() : null;
}
