using System.Diagnostics;
using Berth.Tests.Support;
using Xunit.Abstractions;
using static Berth.Tests.Replication.ReplicationHarness;

namespace Berth.Tests.EndToEnd;

/// <summary>Replication through the real server: the aws CLI configures and reads it, Terraform manages it.</summary>
public sealed class ReplicationEndToEndTests(ITestOutputHelper output)
{
    private const string OpenAccount = "000000000000";

    /// <summary>The resources under test; the provider head is <see cref="TerraformRunner.AwsProviderConfiguration"/>.</summary>
    private const string TerraformResources = """
        data "aws_caller_identity" "current" {}

        resource "aws_ecr_replication_configuration" "this" {
          replication_configuration {
            rule {
              destination {
                region      = "us-west-2"
                registry_id = data.aws_caller_identity.current.account_id
              }
              destination {
                region      = "eu-west-1"
                registry_id = "210987654321"
              }
              repository_filter {
                filter      = "prod"
                filter_type = "PREFIX_MATCH"
              }
            }
            rule {
              destination {
                region      = "ap-south-1"
                registry_id = data.aws_caller_identity.current.account_id
              }
            }
          }
        }

        output "registry_id" { value = aws_ecr_replication_configuration.this.registry_id }
        """;

    [E2EFact(Tools.Aws)]
    public async Task The_aws_CLI_puts_and_describes_a_configuration_and_reads_each_push_replication_status()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        var aws = new AwsCli(server.Endpoint, OpenAccount, "not-checked");
        var configuration = """{"rules":[{"destinations":[{"region":"us-west-2","registryId":"000000000000"}],"repositoryFilters":[{"filter":"prod","filterType":"PREFIX_MATCH"}]}]}""";

        var put = aws.Ok("put-replication-configuration", "--replication-configuration", configuration);
        var described = aws.Ok("describe-registry");
        Assert.Equal(OpenAccount, described.GetProperty("registryId").GetString());
        Assert.Equal(put.GetProperty("replicationConfiguration").GetRawText(), described.GetProperty("replicationConfiguration").GetRawText());
        aws.Fails("InvalidParameterException", "put-replication-configuration", "--replication-configuration",
            """{"rules":[{"destinations":[{"region":"us-east-1","registryId":"000000000000"}]}]}""");

        aws.Ok("create-repository", "--repository-name", "prod/api");
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) };
        var west = new EcrClient(http, OpenAccount, West);
        var clock = Stopwatch.StartNew();
        var image = await new V2Pusher(http, "prod/api").PushImageAsync("v1");
        var pushed = clock.Elapsed;
        while (await TaggedDigestAsync(west, "prod/api", "v1") is null && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(5);
        }

        output.WriteLine($"push took {pushed.TotalMilliseconds:F0} ms; visible in {West} {(clock.Elapsed - pushed).TotalMilliseconds:F0} ms after the push answered");
        Assert.Equal(image.Digest, await TaggedDigestAsync(west, "prod/api", "v1"));

        var status = aws.Ok("describe-image-replication-status", "--repository-name", "prod/api", "--image-id", "imageTag=v1");
        var only = Assert.Single(status.GetProperty("replicationStatuses").EnumerateArray());
        Assert.Equal("COMPLETE", only.GetProperty("status").GetString());
        Assert.Equal(West, only.GetProperty("region").GetString());
        Assert.Equal(image.Digest, status.GetProperty("imageId").GetProperty("imageDigest").GetString());
        aws.Fails("ImageNotFoundException", "describe-image-replication-status", "--repository-name", "prod/api", "--image-id", "imageTag=absent");
    }

    [E2EFact(Tools.Terraform, Tools.Aws)]
    public async Task Terraform_applies_a_replication_configuration_plans_no_changes_and_destroys_it()
    {
        const string account = "123456789012";
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = IdentityEndToEndTests.CreateKey(data.Path, account);
        var aws = new AwsCli(server.Endpoint, keyId, secret);

        using var terraform = new TerraformRunner(keyId, secret);
        terraform.WriteFile("main.tf", TerraformRunner.AwsProviderConfiguration + TerraformResources);
        terraform.WriteFile("terraform.tfvars", $"endpoint = \"{server.Endpoint}\"\n");

        terraform.Ok("init", "-input=false");
        var applied = terraform.Ok("apply", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 1 added, 0 changed, 0 destroyed.", applied, StringComparison.Ordinal);
        Assert.Equal(account, terraform.Outputs()["registry_id"]);

        var rules = aws.Ok("describe-registry").GetProperty("replicationConfiguration").GetProperty("rules");
        Assert.Equal(2, rules.GetArrayLength());
        Assert.Equal(["us-west-2", "eu-west-1"], rules[0].GetProperty("destinations").EnumerateArray().Select(d => d.GetProperty("region").GetString()));
        Assert.Equal("prod", rules[0].GetProperty("repositoryFilters")[0].GetProperty("filter").GetString());
        Assert.Equal(account, rules[1].GetProperty("destinations")[0].GetProperty("registryId").GetString());

        var plan = terraform.Run("plan", "-detailed-exitcode", "-input=false");
        Assert.True(plan.ExitCode == 0, $"terraform plan should find no changes: {plan}");
        Assert.Contains("No changes.", plan.StandardOutput, StringComparison.Ordinal);

        var destroyed = terraform.Ok("destroy", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 1 destroyed.", destroyed, StringComparison.Ordinal);
        Assert.Equal(0, aws.Ok("describe-registry").GetProperty("replicationConfiguration").GetProperty("rules").GetArrayLength());
    }
}
