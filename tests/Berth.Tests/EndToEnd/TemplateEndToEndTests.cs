using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Repository creation templates against the real server: the four operations through the aws CLI, create-on-push
/// through skopeo, and Terraform's <c>aws_ecr_repository_creation_template</c> applied, planned and destroyed.
/// </summary>
public sealed class TemplateEndToEndTests
{
    private const string Account = "000000000000";
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"ecr:BatchGetImage"}]}""";
    private const string Lifecycle = """{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}""";

    private const string TerraformConfiguration = """
        resource "aws_ecr_repository_creation_template" "team" {
          prefix               = "team"
          description          = "repositories pushed under team/"
          image_tag_mutability = "IMMUTABLE"
          custom_role_arn      = "arn:aws:iam::ACCOUNT:role/ecr-templates"
          # Provider 5.100 validates appliedFor against the two values it knew (no CREATE_ON_PUSH).
          applied_for          = ["PULL_THROUGH_CACHE", "REPLICATION"]

          encryption_configuration {
            encryption_type = "KMS"
          }

          repository_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Sid       = "PartnerPulls"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::210987654321:root" }
              Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
            }]
          })

          lifecycle_policy = <<EOT
        {
          "rules": [
            {
              "rulePriority": 1,
              "description": "Expire untagged images after 14 days",
              "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": 14
              },
              "action": { "type": "expire" }
            }
          ]
        }
        EOT

          resource_tags = {
            team = "platform"
            env  = "e2e"
          }
        }

        resource "aws_ecr_repository_creation_template" "root" {
          prefix      = "ROOT"
          applied_for = ["REPLICATION"]
        }

        output "registry_id" { value = aws_ecr_repository_creation_template.team.registry_id }
        """;

    [E2EFact(Tools.Aws)]
    public async Task The_aws_cli_creates_describes_pages_updates_and_deletes_templates_with_ECRs_errors()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (id, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, id, secret);

        var created = aws.Ok(
            "create-repository-creation-template", "--prefix", "prod", "--applied-for", "CREATE_ON_PUSH", "REPLICATION",
            "--description", "prod repos", "--image-tag-mutability", "IMMUTABLE", "--resource-tags", "Key=team,Value=prod",
            "--repository-policy", Policy, "--lifecycle-policy", Lifecycle, "--encryption-configuration", "encryptionType=AES256");
        Assert.Equal(Account, created.GetProperty("registryId").GetString());
        var template = created.GetProperty("repositoryCreationTemplate");
        Assert.Equal(Policy, template.GetProperty("repositoryPolicy").GetString());
        Assert.Equal(Lifecycle, template.GetProperty("lifecyclePolicy").GetString());
        Assert.Equal(["REPLICATION", "CREATE_ON_PUSH"], template.GetProperty("appliedFor").EnumerateArray().Select(e => e.GetString()));
        aws.Fails("TemplateAlreadyExistsException", "create-repository-creation-template", "--prefix", "prod", "--applied-for", "REPLICATION");
        aws.Fails("InvalidParameterException", "create-repository-creation-template", "--prefix", "bad", "--applied-for", "REPLICATION", "--repository-policy", "{}");
        aws.Fails("ValidationException", "create-repository-creation-template", "--prefix", "bad", "--applied-for", "REPLICATION", "--custom-role-arn", "arn:aws:iam::999999999999:role/x");

        aws.Ok("create-repository-creation-template", "--prefix", "ROOT", "--applied-for", "PULL_THROUGH_CACHE");
        aws.Ok("create-repository-creation-template", "--prefix", "dev/team", "--applied-for", "CREATE_ON_PUSH");
        // The CLI follows nextToken by itself: pages of one still list all three, in prefix order.
        var all = aws.Ok("describe-repository-creation-templates", "--page-size", "1").GetProperty("repositoryCreationTemplates");
        Assert.Equal(["ROOT", "dev/team", "prod"], all.EnumerateArray().Select(t => t.GetProperty("prefix").GetString()));
        var first = aws.Ok("describe-repository-creation-templates", "--max-items", "1");
        Assert.Single(first.GetProperty("repositoryCreationTemplates").EnumerateArray());
        Assert.True(first.TryGetProperty("NextToken", out _));

        var updated = aws.Ok("update-repository-creation-template", "--prefix", "prod", "--description", "changed").GetProperty("repositoryCreationTemplate");
        Assert.Equal("changed", updated.GetProperty("description").GetString());
        Assert.Equal("IMMUTABLE", updated.GetProperty("imageTagMutability").GetString());
        aws.Fails("TemplateNotFoundException", "update-repository-creation-template", "--prefix", "nothing", "--description", "x");

        var deleted = aws.Ok("delete-repository-creation-template", "--prefix", "prod").GetProperty("repositoryCreationTemplate");
        Assert.Equal("changed", deleted.GetProperty("description").GetString());
        aws.Fails("TemplateNotFoundException", "delete-repository-creation-template", "--prefix", "prod");
        Assert.Equal(0, aws.Ok("describe-repository-creation-templates", "--prefixes", "prod").GetProperty("repositoryCreationTemplates").GetArrayLength());
    }

    [E2EFact(Tools.Aws, Tools.Skopeo)]
    public async Task A_skopeo_push_under_a_template_prefix_creates_the_repository_from_it_and_one_without_a_template_fails()
    {
        using var data = new TempDirectory();
        using var work = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (id, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, id, secret);
        aws.Ok(
            "create-repository-creation-template", "--prefix", "team", "--applied-for", "CREATE_ON_PUSH",
            "--image-tag-mutability", "IMMUTABLE", "--resource-tags", "Key=owner,Value=team",
            "--repository-policy", Policy, "--lifecycle-policy", Lifecycle);
        var layout = new OciLayoutBuilder(work.Path);
        var image = layout.AddImage("v1", ImageFlavor.Oci);
        using var skopeo = new Skopeo(aws.Run("get-login-password").StandardOutput.Trim());

        Skopeo.Ok(skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), $"docker://{server.Registry}/team/app:v1", "--preserve-digests"));

        var repository = aws.Ok("describe-repositories", "--repository-names", "team/app").GetProperty("repositories")[0];
        Assert.Equal("IMMUTABLE", repository.GetProperty("imageTagMutability").GetString());
        var tags = aws.Ok("list-tags-for-resource", "--resource-arn", repository.GetProperty("repositoryArn").GetString()!).GetProperty("tags");
        Assert.Equal(("owner", "team"), Assert.Single(tags.EnumerateArray().Select(t => (t.GetProperty("Key").GetString(), t.GetProperty("Value").GetString()))));
        Assert.Equal(Policy, aws.Ok("get-repository-policy", "--repository-name", "team/app").GetProperty("policyText").GetString());
        Assert.Equal(Lifecycle, aws.Ok("get-lifecycle-policy", "--repository-name", "team/app").GetProperty("lifecyclePolicyText").GetString());
        Assert.Equal(image.Digest, skopeo.ManifestDigest($"docker://{server.Registry}/team/app:v1"));

        var refused = Skopeo.Fails(
            skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), $"docker://{server.Registry}/other/app:v1"),
            "name unknown", "NAME_UNKNOWN", "repository name not known");
        Assert.DoesNotContain("500", refused, StringComparison.Ordinal);
        aws.Fails("RepositoryNotFoundException", "describe-repositories", "--repository-names", "other/app");
    }

    [E2EFact(Tools.Terraform, Tools.Aws)]
    public async Task Terraform_applies_creation_templates_plans_no_changes_and_destroys_them()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, keyId, secret);

        using var terraform = new TerraformRunner(keyId, secret);
        terraform.WriteFile("main.tf", TerraformRunner.AwsProviderConfiguration + TerraformConfiguration.Replace("ACCOUNT", Account, StringComparison.Ordinal));
        terraform.WriteFile("terraform.tfvars", $"endpoint = \"{server.Endpoint}\"\n");

        terraform.Ok("init", "-input=false");
        var applied = terraform.Ok("apply", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 2 added, 0 changed, 0 destroyed.", applied, StringComparison.Ordinal);
        Assert.Equal(Account, terraform.Outputs()["registry_id"]);

        var team = aws.Ok("describe-repository-creation-templates", "--prefixes", "team").GetProperty("repositoryCreationTemplates")[0];
        // Provider 5.100 has no exclusion-filter block (the in-process tests cover the filters).
        Assert.Equal("IMMUTABLE", team.GetProperty("imageTagMutability").GetString());
        Assert.Equal("KMS", team.GetProperty("encryptionConfiguration").GetProperty("encryptionType").GetString());
        Assert.Equal(2, team.GetProperty("resourceTags").GetArrayLength());
        using (var policy = JsonDocument.Parse(team.GetProperty("repositoryPolicy").GetString()!))
        {
            Assert.Equal("PartnerPulls", policy.RootElement.GetProperty("Statement")[0].GetProperty("Sid").GetString());
        }

        // Reading everything back finds nothing to change: exit 0, where 2 means a diff.
        var plan = terraform.Run("plan", "-detailed-exitcode", "-input=false");
        Assert.True(plan.ExitCode == 0, $"terraform plan should find no changes: {plan}");
        Assert.Contains("No changes.", plan.StandardOutput, StringComparison.Ordinal);

        var destroyed = terraform.Ok("destroy", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 2 destroyed.", destroyed, StringComparison.Ordinal);
        Assert.Equal(0, aws.Ok("describe-repository-creation-templates").GetProperty("repositoryCreationTemplates").GetArrayLength());
    }
}
