using Berth.Domain;
using Berth.Hosting;

namespace Berth.Tests.Hosting;

/// <summary>Which registry a /v2/ Host header addresses, read back from the --public-url template.</summary>
public sealed class RegistryAddressTests
{
    private static readonly RegistryScope Own = new("210987654321", "us-east-1");

    private static RegistryAddress Address(string publicUrl) => new(new BerthOptions { PublicUrl = publicUrl });

    [Theory]
    [InlineData("123456789012.dkr.ecr.eu-west-1.example.com:5000", "123456789012", "eu-west-1")]
    [InlineData("123456789012.DKR.ECR.EU-WEST-1.EXAMPLE.COM:5000", "123456789012", "eu-west-1")]
    [InlineData("12345678901.dkr.ecr.eu-west-1.example.com:5000", "210987654321", "us-east-1")]
    [InlineData("123456789012.dkr.ecr.eu-west-1.example.com", "210987654321", "us-east-1")]
    [InlineData("123456789012.dkr.ecr.eu-west-1.example.com:5000.evil", "210987654321", "us-east-1")]
    [InlineData("localhost:5000", "210987654321", "us-east-1")]
    public void A_host_matching_the_template_names_its_account_and_region(string host, string account, string region)
    {
        var address = Address("http://{account}.dkr.ecr.{region}.example.com:5000");

        Assert.Equal(new RegistryScope(account, region), address.Addressed(host, Own));
    }

    [Fact]
    public void Without_region_in_the_template_the_callers_region_stays_and_without_account_nothing_is_read()
    {
        Assert.Equal(new RegistryScope("123456789012", "us-east-1"), Address("https://{account}.registry.example").Addressed("123456789012.registry.example", Own));
        Assert.Equal(Own, Address("http://registry.example:5000").Addressed("123456789012.registry.example:5000", Own));
    }
}
