using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Terraform with the AWS provider, as a user manages ECR with it: one init, apply, plan and destroy against a real
/// server, with the provider's account lookup on (STS GetCallerIdentity through Berth), checked with the aws CLI.
/// </summary>
public sealed class TerraformEndToEndTests
{
    private const string Account = "123456789012";
    private const string Partner = "210987654321";
    private const string Repository = "tf/app";

    private const string MainConfiguration = """
        data "aws_caller_identity" "current" {}

        resource "aws_ecr_repository" "app" {
          name                 = "REPOSITORY"
          image_tag_mutability = "IMMUTABLE"
          image_scanning_configuration {
            scan_on_push = true
          }
          tags = {
            team = "platform"
            env  = "e2e"
          }
        }

        resource "aws_ecr_lifecycle_policy" "app" {
          repository = aws_ecr_repository.app.name
          policy = jsonencode({
            rules = [{
              rulePriority = 1
              description  = "keep the ten newest images"
              selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 10 }
              action       = { type = "expire" }
            }]
          })
        }

        output "account_id" { value = data.aws_caller_identity.current.account_id }
        output "caller_arn" { value = data.aws_caller_identity.current.arn }
        output "registry_id" { value = aws_ecr_repository.app.registry_id }
        output "repository_arn" { value = aws_ecr_repository.app.arn }
        output "repository_url" { value = aws_ecr_repository.app.repository_url }
        """;

    // The registry policy's resource is built from the looked-up account, so a wrong account id fails the apply.
    private const string PolicyConfiguration = """
        resource "aws_ecr_repository_policy" "app" {
          repository = aws_ecr_repository.app.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Sid       = "PartnerPulls"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::PARTNER:root" }
              Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
            }]
          })
        }

        resource "aws_ecr_registry_policy" "this" {
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Sid       = "PartnerReplicates"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::PARTNER:root" }
              Action    = ["ecr:CreateRepository", "ecr:ReplicateImage"]
              Resource  = "arn:aws:ecr:us-east-1:${data.aws_caller_identity.current.account_id}:repository/*"
            }]
          })
        }
        """;

    /// <summary>The first statement of a policy, whether Statement is an array or a single object.</summary>
    private static JsonElement Statement(string policyText)
    {
        using var policy = JsonDocument.Parse(policyText);
        var statement = policy.RootElement.GetProperty("Statement");
        return (statement.ValueKind == JsonValueKind.Array ? statement[0] : statement).Clone();
    }

    [E2EFact(Tools.Terraform, Tools.Aws)]
    public async Task Terraform_applies_a_repository_with_its_policies_plans_no_changes_and_destroys_them()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = IdentityEndToEndTests.CreateKey(data.Path, Account);
        var aws = new AwsCli(server.Endpoint, keyId, secret);

        using var terraform = new TerraformRunner(keyId, secret);
        terraform.WriteFile("main.tf", TerraformRunner.AwsProviderConfiguration + MainConfiguration.Replace("REPOSITORY", Repository, StringComparison.Ordinal));
        terraform.WriteFile("policies.tf", PolicyConfiguration.Replace("PARTNER", Partner, StringComparison.Ordinal));
        terraform.WriteFile("terraform.tfvars", $"endpoint = \"{server.Endpoint}\"\n");

        terraform.Ok("init", "-input=false");
        var applied = terraform.Ok("apply", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 4 added, 0 changed, 0 destroyed.", applied, StringComparison.Ordinal);

        var outputs = terraform.Outputs();
        Assert.Equal(Account, outputs["account_id"]);
        Assert.Equal($"arn:aws:iam::{Account}:root", outputs["caller_arn"]);
        Assert.Equal(Account, outputs["registry_id"]);
        Assert.Equal($"arn:aws:ecr:us-east-1:{Account}:repository/{Repository}", outputs["repository_arn"]);
        Assert.Equal($"{server.Registry}/{Repository}", outputs["repository_url"]);

        // What Terraform made is what the aws CLI sees.
        var repository = aws.Ok("describe-repositories", "--repository-names", Repository).GetProperty("repositories")[0];
        Assert.Equal("IMMUTABLE", repository.GetProperty("imageTagMutability").GetString());
        Assert.True(repository.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        var tags = aws.Ok("list-tags-for-resource", "--resource-arn", outputs["repository_arn"]).GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("Key").GetString()!, t => t.GetProperty("Value").GetString()!);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "e2e", ["team"] = "platform" }, tags);
        using (var lifecycle = JsonDocument.Parse(aws.Ok("get-lifecycle-policy", "--repository-name", Repository).GetProperty("lifecyclePolicyText").GetString()!))
        {
            Assert.Equal(10, lifecycle.RootElement.GetProperty("rules")[0].GetProperty("selection").GetProperty("countNumber").GetInt32());
        }

        var repositoryPolicy = Statement(aws.Ok("get-repository-policy", "--repository-name", Repository).GetProperty("policyText").GetString()!);
        Assert.Equal($"arn:aws:iam::{Partner}:root", repositoryPolicy.GetProperty("Principal").GetProperty("AWS").GetString());
        var registryPolicy = Statement(aws.Ok("get-registry-policy").GetProperty("policyText").GetString()!);
        Assert.Equal($"arn:aws:ecr:us-east-1:{Account}:repository/*", registryPolicy.GetProperty("Resource").GetString());

        // Reading everything back (account lookup included) finds nothing to change: exit 0, where 2 means a diff.
        var plan = terraform.Run("plan", "-detailed-exitcode", "-input=false");
        Assert.True(plan.ExitCode == 0, $"terraform plan should find no changes: {plan}");
        Assert.Contains("No changes.", plan.StandardOutput, StringComparison.Ordinal);

        var destroyed = terraform.Ok("destroy", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 4 destroyed.", destroyed, StringComparison.Ordinal);
        Assert.Equal(0, aws.Ok("describe-repositories").GetProperty("repositories").GetArrayLength());
        aws.Fails("RepositoryNotFoundException", "get-lifecycle-policy", "--repository-name", Repository);
        aws.Fails("RegistryPolicyNotFoundException", "get-registry-policy");
    }
}
