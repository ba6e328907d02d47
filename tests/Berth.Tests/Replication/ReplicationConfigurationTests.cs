using Berth.Tests.Support;
using static Berth.Tests.Replication.ReplicationHarness;

namespace Berth.Tests.Replication;

/// <summary>PutReplicationConfiguration and DescribeRegistry: the shapes, the limits and the refusals.</summary>
public sealed class ReplicationConfigurationTests : IAsyncLifetime
{
    private BerthHost _host = null!;

    public async Task InitializeAsync() => _host = await BerthHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DescribeRegistry_reports_no_rules_until_a_configuration_is_put_and_then_exactly_it()
    {
        var ecr = _host.Ecr();
        var before = await ecr.OkAsync("DescribeRegistry");
        Assert.Equal(Source, before.GetProperty("registryId").GetString());
        Assert.Equal(0, before.GetProperty("replicationConfiguration").GetProperty("rules").GetArrayLength());

        var put = await ecr.OkAsync("PutReplicationConfiguration", Configuration((West, Source, "prod/"), (Home, Partner, null)));
        var after = (await ecr.OkAsync("DescribeRegistry")).GetProperty("replicationConfiguration");

        Assert.Equal(put.GetProperty("replicationConfiguration").GetRawText(), after.GetRawText());
        var rules = after.GetProperty("rules");
        Assert.Equal(2, rules.GetArrayLength());
        Assert.Equal("prod/", rules[0].GetProperty("repositoryFilters")[0].GetProperty("filter").GetString());
        Assert.Equal(West, rules[0].GetProperty("destinations")[0].GetProperty("region").GetString());
        Assert.False(rules[1].TryGetProperty("repositoryFilters", out _));
        Assert.Equal(Partner, rules[1].GetProperty("destinations")[0].GetProperty("registryId").GetString());
        // Another registry (region) has its own, empty configuration.
        Assert.Equal(0, (await _host.Ecr(region: West).OkAsync("DescribeRegistry")).GetProperty("replicationConfiguration").GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public async Task An_empty_rule_list_turns_replication_off()
    {
        var ecr = _host.Ecr();
        await ecr.OkAsync("PutReplicationConfiguration", Configuration((West, Source, null)));
        await ecr.OkAsync("PutReplicationConfiguration", """{"replicationConfiguration":{"rules":[]}}""");

        Assert.Equal(0, (await ecr.OkAsync("DescribeRegistry")).GetProperty("replicationConfiguration").GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public async Task The_source_registry_itself_is_refused_as_a_destination()
    {
        var message = await _host.Ecr().FailsAsync("PutReplicationConfiguration", Configuration((Home, Source, null)), "InvalidParameterException");
        Assert.Contains("cannot be the same as the source registry", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_25_unique_destinations_across_rules_are_refused()
    {
        var destinations = Enumerable.Range(0, 26).Select(i => ($"r{i:D2}", Source, (string?)null)).ToArray();
        var rules = string.Join(',', Enumerable.Range(0, 3).Select(rule =>
            "{\"destinations\":[" + string.Join(',', destinations.Skip(rule * 9).Take(9).Select(d => $$"""{"region":"{{d.Item1}}","registryId":"{{d.Source}}"}""")) + "]}"));

        var message = await _host.Ecr().FailsAsync("PutReplicationConfiguration", $$$"""{"replicationConfiguration":{"rules":[{{{rules}}}]}}""", "InvalidParameterException");

        Assert.Contains("25", message, StringComparison.Ordinal);
        Assert.Equal(0, (await _host.Ecr().OkAsync("DescribeRegistry")).GetProperty("replicationConfiguration").GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public async Task The_same_destination_in_several_rules_counts_once()
    {
        var rules = Enumerable.Range(0, 10).Select(_ => (West, Source, (string?)null)).ToArray();
        await _host.Ecr().OkAsync("PutReplicationConfiguration", Configuration(rules));
    }

    [Theory]
    [InlineData("More than ten rules", "rules")]
    [InlineData("A filter type ECR does not know", "filterType")]
    [InlineData("A filter that is not a repository prefix", "filter")]
    [InlineData("A region outside the model's pattern", "region")]
    [InlineData("A registry id that is not 12 digits", "registryId")]
    [InlineData("No filters in a filter list", "repositoryFilters")]
    public async Task Model_limits_are_refused_with_InvalidParameterException(string description, string member)
    {
        var json = description switch
        {
            "More than ten rules" => Configuration(Enumerable.Range(0, 11).Select(_ => (West, Source, (string?)null)).ToArray()),
            "A filter type ECR does not know" => Configuration((West, Source, "prod")).Replace("PREFIX_MATCH", "SUFFIX_MATCH", StringComparison.Ordinal),
            "A filter that is not a repository prefix" => Configuration((West, Source, "Prod!")),
            "A region outside the model's pattern" => Configuration(("US_WEST", Source, null)),
            "A registry id that is not 12 digits" => Configuration((West, "12345", null)),
            _ => """{"replicationConfiguration":{"rules":[{"destinations":[{"region":"us-west-2","registryId":"123456789012"}],"repositoryFilters":[]}]}}""",
        };

        var message = await _host.Ecr().FailsAsync("PutReplicationConfiguration", json, "InvalidParameterException");

        Assert.Contains(member, message, StringComparison.Ordinal);
    }
}
