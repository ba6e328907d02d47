using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Scanning against the real server: the database imported by `berth vulndb import` while the server runs, boto3's
/// image_scan_complete waiter and findings paginator, and Terraform's scanning resources.
/// </summary>
public sealed class ScanningEndToEndTests
{
    private const string Account = "123456789012";

    // The account an open-mode server acts in for /v2/ requests, which carry no account.
    private const string OpenAccount = "000000000000";

    /// <summary>The resources under test; the provider head is <see cref="TerraformRunner.AwsProviderConfiguration"/>.</summary>
    private const string TerraformResources = """
        resource "aws_ecr_registry_scanning_configuration" "scanning" {
          scan_type = "ENHANCED"
          rule {
            scan_frequency = "CONTINUOUS_SCAN"
            repository_filter {
              filter      = "tf-prod-*"
              filter_type = "WILDCARD"
            }
          }
          rule {
            scan_frequency = "SCAN_ON_PUSH"
            repository_filter {
              filter      = "tf-*"
              filter_type = "WILDCARD"
            }
          }
        }

        resource "aws_ecr_repository" "scanned" {
          name = "tf-prod-api"
          image_scanning_configuration {
            scan_on_push = true
          }
        }

        output "registry_id" { value = aws_ecr_registry_scanning_configuration.scanning.registry_id }
        """;

    private static ProcessResult Berth(params string[] arguments) =>
        Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments], null, TimeSpan.FromSeconds(120));

    [E2EFact(Tools.Boto3)]
    public async Task The_waiter_sees_a_scan_complete_with_the_database_imported_beside_the_running_server()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint), Timeout = TimeSpan.FromSeconds(60) };
        await new EcrClient(http, OpenAccount, "us-east-1").OkAsync("CreateRepository", """{"repositoryName":"waiter/app"}""");
        await ScanImages.PushAsync(http, "waiter/app", "v1", ScanImages.DebianLayers());

        var imported = Berth("vulndb", "import", "--data-dir", data.Path, ScanImages.OsvFixtures);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Contains("imported version 1: 6 advisories (1 files skipped)", imported.StandardOutput, StringComparison.Ordinal);

        var result = Tools.Run(
            "python3",
            [Path.Combine(AppContext.BaseDirectory, "Fixtures", "boto3_scanning.py"), server.Endpoint, OpenAccount, "not-checked", "waiter/app", "v1"],
            null,
            TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.StandardOutput);
        var root = answer.RootElement;
        Assert.Equal("COMPLETE", root.GetProperty("status").GetString());
        Assert.Equal(3, root.GetProperty("pages").GetInt32());
        Assert.Equal(
            ["CRITICAL CVE-2024-90001 openssl", "HIGH CVE-2021-90005 left-pad", "HIGH CVE-2021-90005 lodash", "MEDIUM CVE-2024-90004 requests", "LOW CVE-2023-90002 zlib"],
            root.GetProperty("findings").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("LimitExceededException", root.GetProperty("quota").GetString());

        var missing = Berth("vulndb", "import", "--data-dir", data.Path, Path.Combine(data.Path, "no-such.zip"));
        Assert.Equal(1, missing.ExitCode);
    }

    [E2EFact(Tools.Terraform, Tools.Aws)]
    public async Task Terraform_applies_registry_scanning_and_a_scanned_repository_plans_no_changes_and_destroys_them()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = IdentityEndToEndTests.CreateKey(data.Path, Account);
        var aws = new AwsCli(server.Endpoint, keyId, secret);

        using var terraform = new TerraformRunner(keyId, secret);
        terraform.WriteFile("main.tf", TerraformRunner.AwsProviderConfiguration + TerraformResources);
        terraform.WriteFile("terraform.tfvars", $"endpoint = \"{server.Endpoint}\"\n");

        terraform.Ok("init", "-input=false");
        var applied = terraform.Ok("apply", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 2 added, 0 changed, 0 destroyed.", applied, StringComparison.Ordinal);
        Assert.Equal(Account, terraform.Outputs()["registry_id"]);

        var configuration = aws.Ok("get-registry-scanning-configuration").GetProperty("scanningConfiguration");
        Assert.Equal("ENHANCED", configuration.GetProperty("scanType").GetString());
        Assert.Equal(2, configuration.GetProperty("rules").GetArrayLength());
        var applies = aws.Ok("batch-get-repository-scanning-configuration", "--repository-names", "tf-prod-api").GetProperty("scanningConfigurations")[0];
        Assert.Equal("CONTINUOUS_SCAN", applies.GetProperty("scanFrequency").GetString());

        var plan = terraform.Run("plan", "-detailed-exitcode", "-input=false");
        Assert.True(plan.ExitCode == 0, $"terraform plan should find no changes: {plan}");
        Assert.Contains("No changes.", plan.StandardOutput, StringComparison.Ordinal);

        var destroyed = terraform.Ok("destroy", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 2 destroyed.", destroyed, StringComparison.Ordinal);
        var reset = aws.Ok("get-registry-scanning-configuration").GetProperty("scanningConfiguration");
        Assert.Equal(0, reset.GetProperty("rules").GetArrayLength());
        Assert.Equal(0, aws.Ok("describe-repositories").GetProperty("repositories").GetArrayLength());
    }
}
