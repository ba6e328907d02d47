using Berth.Hosting;
using Microsoft.Extensions.Configuration;

namespace Berth.Tests.Hosting;

public sealed class OptionsResolverTests
{
    private static (BerthOptions? Options, string? Error) Resolve(
        Dictionary<string, string?>? commandLine = null,
        Dictionary<string, string?>? configuration = null) =>
        OptionsResolver.Resolve(
            commandLine ?? [],
            new ConfigurationBuilder().AddInMemoryCollection(configuration ?? []).Build());

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var (options, error) = Resolve();

        Assert.Null(error);
        Assert.Equal("http://127.0.0.1:5000", options!.Listen);
        Assert.Equal("./berth-data", options.DataDir);
        Assert.Equal("us-east-1", options.Region);
        Assert.Equal("000000000000", options.AccountId);
        Assert.Equal(AuthMode.SigV4, options.Auth);
        Assert.Equal("http://127.0.0.1:5000", options.PublicUrl);
        Assert.Equal(TimeSpan.FromHours(24), options.LifecycleInterval);
        Assert.Equal(TimeSpan.FromHours(1), options.GcGracePeriod);
    }

    [Theory]
    [InlineData("listen", "ftp://x:1", "--listen")]
    [InlineData("listen", "not a url", "--listen")]
    [InlineData("region", "Mars-1", "--region")]
    [InlineData("account-id", "12345", "--account-id")]
    [InlineData("account-id", "12345678901a", "--account-id")]
    [InlineData("auth", "basic", "--auth")]
    [InlineData("public-url", "http://host/with/path", "--public-url")]
    [InlineData("lifecycle-interval", "soon", "--lifecycle-interval")]
    [InlineData("gc-interval", "0s", "--gc-interval")]
    public void A_bad_value_yields_one_line_naming_the_option(string option, string value, string named)
    {
        var (options, error) = Resolve(new Dictionary<string, string?> { [option] = value });

        Assert.Null(options);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.Contains(value, error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error!, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_line_wins_over_configuration_which_wins_over_defaults()
    {
        var (options, _) = Resolve(
            new Dictionary<string, string?> { ["region"] = "eu-west-1" },
            new Dictionary<string, string?> { ["Berth:Region"] = "ap-south-1", ["Berth:AccountId"] = "111122223333", ["Berth:GcGracePeriod"] = "0s" });

        Assert.Equal("eu-west-1", options!.Region);
        Assert.Equal("111122223333", options.AccountId);
        Assert.Equal(TimeSpan.Zero, options.GcGracePeriod);
    }

    [Fact]
    public void Environment_variables_with_the_BERTH_prefix_reach_the_configuration()
    {
        var configuration = BerthConfiguration.Load(
            Path.GetTempPath(),
            new Dictionary<string, string?> { ["BERTH_DATA_DIR"] = "/srv/berth", ["BERTH_AUTH"] = "none", ["OTHER"] = "x" });

        var (options, error) = OptionsResolver.Resolve(new Dictionary<string, string?>(), configuration);

        Assert.Null(error);
        Assert.Equal("/srv/berth", options!.DataDir);
        Assert.Equal(AuthMode.None, options.Auth);
    }

    [Fact]
    public void A_wildcard_listen_address_gives_a_localhost_public_url_and_placeholders_are_allowed()
    {
        Assert.Equal("http://localhost:8080", Resolve(new Dictionary<string, string?> { ["listen"] = "http://0.0.0.0:8080" }).Options!.PublicUrl);
        var templated = Resolve(new Dictionary<string, string?> { ["public-url"] = "https://{account}.dkr.ecr.{region}.example.com" }).Options!;
        Assert.Equal(
            "https://123456789012.dkr.ecr.eu-west-1.example.com",
            new RegistryAddress(templated).ProxyEndpoint(new Berth.Domain.RegistryScope("123456789012", "eu-west-1")));
    }
}
