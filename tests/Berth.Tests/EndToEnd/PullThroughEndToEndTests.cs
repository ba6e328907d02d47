using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// The pull-through cache against a real upstream (Debian's docker-registry over http, a <c>generic</c> rule): skopeo
/// pulls through Berth and gets the upstream's exact digests, the cache keeps the image when the upstream stops, rules
/// go through the aws CLI, credentials through <c>berth secrets</c>, and Terraform manages a rule.
/// </summary>
public sealed class PullThroughEndToEndTests
{
    private const string Account = "123456789012";

    // The account an open-mode (--auth none) server acts in for a key id that is not 12 digits, and berth secrets' default.
    private const string OpenAccount = "000000000000";

    [E2EFact(Tools.Skopeo, Tools.Aws, UpstreamRegistry.Tool)]
    public async Task Skopeo_pulls_through_the_cache_with_the_upstreams_digests_and_the_cache_serves_it_when_the_upstream_stops()
    {
        await using var scene = await Scene.StartAsync();
        var image = scene.Layout.AddImage("v1", ImageFlavor.Oci, layers: 3, bytesPerLayer: 256 * 1024);
        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("v1", ImageFlavor.Oci), $"docker://{scene.Upstream.Host}/team/app:v1"));
        scene.Aws.Ok("create-pull-through-cache-rule", "--cli-input-json", GenericRule("up", scene.Upstream.Url));

        var upstreamDigest = scene.Skopeo.ManifestDigest($"docker://{scene.Upstream.Host}/team/app:v1");
        Assert.Equal(image.Digest, upstreamDigest);
        var pulled = scene.Pull($"{scene.Server.Registry}/up/team/app:v1");
        Assert.Equal(upstreamDigest, pulled.Digest);
        Assert.Equal(image.AllDigests, pulled.AllDigests);

        // The repository was created and the image stored in it, tag and all.
        var stored = await scene.WaitForImageAsync("up/team/app", "v1");
        Assert.Equal(upstreamDigest, stored.GetProperty("imageDigest").GetString());

        // With the upstream gone, the cached image is still served; an image never cached names the upstream's failure.
        await scene.Upstream.StopAsync();
        var again = scene.Pull($"{scene.Server.Registry}/up/team/app:v1");
        Assert.Equal(image.AllDigests, again.AllDigests);
        Skopeo.Fails(scene.Skopeo.InspectRaw($"docker://{scene.Server.Registry}/up/team/other:v1"), "manifest unknown");
        scene.Aws.Fails("UnableToGetUpstreamImageException", "batch-get-image", "--repository-name", "up/team/other", "--image-ids", "imageTag=v1");
    }

    [E2EFact(Tools.Skopeo, Tools.Aws, UpstreamRegistry.Tool)]
    public async Task An_index_is_cached_with_every_child_and_pulls_back_unchanged()
    {
        await using var scene = await Scene.StartAsync();
        var index = scene.Layout.AddMultiPlatform("multi", ImageFlavor.Oci);
        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("multi", ImageFlavor.Oci), $"docker://{scene.Upstream.Host}/lib/multi:v1", "--all"));
        scene.Aws.Ok("create-pull-through-cache-rule", "--cli-input-json", GenericRule("mirror", scene.Upstream.Url));

        var path = scene.Skopeo.NewDirectory("index");
        Skopeo.Ok(scene.Skopeo.Copy($"docker://{scene.Server.Registry}/mirror/lib/multi:v1", $"oci:{path}:pulled", "--all", "--preserve-digests"));
        var pulled = PulledImage.FromOciLayout(path, "pulled");
        Assert.Equal(index.Digest, pulled.Digest);
        Assert.Equal(index.AllDigests, pulled.AllDigests);

        await scene.WaitForImageAsync("mirror/lib/multi", "v1");
        var described = scene.Aws.Ok("describe-images", "--repository-name", "mirror/lib/multi").GetProperty("imageDetails");
        var digests = described.EnumerateArray().Select(d => d.GetProperty("imageDigest").GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(index.Digest, digests);
        foreach (var child in index.Images)
        {
            Assert.Contains(child.Digest, digests);
        }
    }

    [E2EFact(Tools.Aws, UpstreamRegistry.Tool)]
    public async Task The_five_rule_operations_work_through_the_aws_cli_with_ECRs_errors()
    {
        await using var scene = await Scene.StartAsync();
        var aws = scene.Aws;
        var created = aws.Ok("create-pull-through-cache-rule", "--cli-input-json", GenericRule("local", scene.Upstream.Url));
        Assert.Equal("generic", created.GetProperty("upstreamRegistry").GetString());
        Assert.False(created.TryGetProperty("upstreamRepositoryPrefix", out _));
        aws.Ok("create-pull-through-cache-rule", "--ecr-repository-prefix", "quay", "--upstream-registry-url", "quay.io");
        aws.Ok("create-pull-through-cache-rule", "--ecr-repository-prefix", "k8s", "--upstream-registry-url", "registry.k8s.io", "--upstream-repository-prefix", "sig");

        aws.Fails("PullThroughCacheRuleAlreadyExistsException", "create-pull-through-cache-rule", "--ecr-repository-prefix", "quay", "--upstream-registry-url", "quay.io");
        aws.Fails("UnsupportedUpstreamRegistryException", "create-pull-through-cache-rule", "--ecr-repository-prefix", "odd", "--upstream-registry-url", "example.com");
        aws.Fails("InvalidParameterException", "create-pull-through-cache-rule", "--ecr-repository-prefix", "hub", "--upstream-registry-url", "registry-1.docker.io");
        aws.Fails("SecretNotFoundException", "create-pull-through-cache-rule", "--ecr-repository-prefix", "hub", "--upstream-registry-url", "registry-1.docker.io",
            "--credential-arn", $"arn:aws:secretsmanager:us-east-1:{OpenAccount}:secret:ecr-pullthroughcache/missing");

        // Paged one at a time, in prefix order.
        var first = aws.Ok("describe-pull-through-cache-rules", "--max-items", "1");
        Assert.Equal("k8s", first.GetProperty("pullThroughCacheRules")[0].GetProperty("ecrRepositoryPrefix").GetString());
        var all = aws.Ok("describe-pull-through-cache-rules").GetProperty("pullThroughCacheRules").EnumerateArray()
            .Select(r => r.GetProperty("ecrRepositoryPrefix").GetString()).ToList();
        Assert.Equal(["k8s", "local", "quay"], all);
        aws.Fails("PullThroughCacheRuleNotFoundException", "describe-pull-through-cache-rules", "--ecr-repository-prefixes", "nope");

        var valid = aws.Ok("validate-pull-through-cache-rule", "--ecr-repository-prefix", "local");
        Assert.True(valid.GetProperty("isValid").GetBoolean(), valid.ToString());
        await scene.Upstream.StopAsync();
        var invalid = aws.Ok("validate-pull-through-cache-rule", "--ecr-repository-prefix", "local");
        Assert.False(invalid.GetProperty("isValid").GetBoolean());
        Assert.Contains(scene.Upstream.Host, invalid.GetProperty("failure").GetString(), StringComparison.Ordinal);

        var updated = aws.Ok("update-pull-through-cache-rule", "--ecr-repository-prefix", "quay", "--custom-role-arn", $"arn:aws:iam::{OpenAccount}:role/r");
        Assert.Equal($"arn:aws:iam::{OpenAccount}:role/r", updated.GetProperty("customRoleArn").GetString());
        aws.Fails("InvalidParameterException", "update-pull-through-cache-rule", "--ecr-repository-prefix", "quay");
        aws.Fails("PullThroughCacheRuleNotFoundException", "update-pull-through-cache-rule", "--ecr-repository-prefix", "nope",
            "--credential-arn", $"arn:aws:secretsmanager:us-east-1:{OpenAccount}:secret:ecr-pullthroughcache/x");
        var deleted = aws.Ok("delete-pull-through-cache-rule", "--ecr-repository-prefix", "quay");
        Assert.Equal("quay.io", deleted.GetProperty("upstreamRegistryUrl").GetString());
        aws.Fails("PullThroughCacheRuleNotFoundException", "delete-pull-through-cache-rule", "--ecr-repository-prefix", "quay");
        aws.Fails("PullThroughCacheRuleNotFoundException", "validate-pull-through-cache-rule", "--ecr-repository-prefix", "quay");
    }

    [E2EFact(Tools.Aws, UpstreamRegistry.Tool)]
    public async Task Berth_secrets_put_keeps_a_sealed_credential_that_a_rules_credentialArn_resolves_to()
    {
        await using var scene = await Scene.StartAsync();
        var name = "ecr-pullthroughcache/hub";
        var put = BerthWithStdin("s3cret-token", "secrets", "put", "--data-dir", scene.DataDir, "--name", name, "--username", "alice", "--password-stdin");
        Assert.True(put.ExitCode == 0, put.ToString());
        var arn = $"arn:aws:secretsmanager:us-east-1:{OpenAccount}:secret:{name}";
        Assert.Contains(arn, put.StandardOutput, StringComparison.Ordinal);

        // Sealed at rest: the token is nowhere in the database files.
        foreach (var file in Directory.GetFiles(scene.DataDir, "*.db*"))
        {
            Assert.DoesNotContain("s3cret-token", await ReadSharedAsync(file), StringComparison.Ordinal);
        }

        var listed = BerthWithStdin(string.Empty, "secrets", "list", "--data-dir", scene.DataDir);
        Assert.Contains(arn, listed.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-token", listed.StandardOutput, StringComparison.Ordinal);

        var created = scene.Aws.Ok("create-pull-through-cache-rule", "--ecr-repository-prefix", "hub", "--upstream-registry-url", "registry-1.docker.io", "--credential-arn", arn);
        Assert.Equal("docker-hub", created.GetProperty("upstreamRegistry").GetString());
        scene.Aws.Ok("create-pull-through-cache-rule", "--cli-input-json", GenericRule("mine", scene.Upstream.Url, arn));
        // The registry takes anonymous pulls, so the credential (sent only when challenged) does not stop validation.
        Assert.True(scene.Aws.Ok("validate-pull-through-cache-rule", "--ecr-repository-prefix", "mine").GetProperty("isValid").GetBoolean());

        scene.Aws.Fails("UnableToAccessSecretException", "update-pull-through-cache-rule", "--ecr-repository-prefix", "hub",
            "--credential-arn", $"arn:aws:secretsmanager:us-east-1:210987654321:secret:{name}");

        Assert.Equal(0, BerthWithStdin(string.Empty, "secrets", "delete", "--data-dir", scene.DataDir, "--name", name).ExitCode);
        Assert.Equal(1, BerthWithStdin(string.Empty, "secrets", "delete", "--data-dir", scene.DataDir, "--name", name).ExitCode);
        var validation = scene.Aws.Ok("validate-pull-through-cache-rule", "--ecr-repository-prefix", "hub");
        Assert.False(validation.GetProperty("isValid").GetBoolean());
        Assert.Contains("does not exist", validation.GetProperty("failure").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, BerthWithStdin("x", "secrets", "put", "--data-dir", scene.DataDir, "--name", "other/x", "--username", "u", "--password-stdin").ExitCode);
    }

    [E2EFact(Tools.Terraform, Tools.Aws)]
    public async Task Terraform_applies_a_pull_through_cache_rule_plans_no_changes_and_destroys_it()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = IdentityEndToEndTests.CreateKey(data.Path, Account);
        var aws = new AwsCli(server.Endpoint, keyId, secret);
        using var terraform = new TerraformRunner(keyId, secret);
        terraform.WriteFile("main.tf", $$"""
            terraform {
              required_providers {
                aws = { source = "hashicorp/aws", version = "{{TerraformRunner.AwsProviderVersion}}" }
              }
            }

            variable "endpoint" { type = string }

            provider "aws" {
              region                      = "us-east-1"
              skip_metadata_api_check     = true
              skip_region_validation      = true
              skip_credentials_validation = true
              skip_requesting_account_id  = true
              endpoints {
                ecr = var.endpoint
                sts = var.endpoint
                iam = var.endpoint
              }
            }

            resource "aws_ecr_pull_through_cache_rule" "quay" {
              ecr_repository_prefix = "quay-cache"
              upstream_registry_url = "quay.io"
            }

            resource "aws_ecr_pull_through_cache_rule" "k8s" {
              ecr_repository_prefix      = "k8s"
              upstream_registry_url      = "registry.k8s.io"
              upstream_repository_prefix = "sig"
            }

            output "registry_id" { value = aws_ecr_pull_through_cache_rule.quay.registry_id }
            """);
        terraform.WriteFile("terraform.tfvars", $"endpoint = \"{server.Endpoint}\"\n");
        terraform.Ok("init", "-input=false");
        var applied = terraform.Ok("apply", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 2 added, 0 changed, 0 destroyed.", applied, StringComparison.Ordinal);
        Assert.Equal(Account, terraform.Outputs()["registry_id"]);

        var rules = aws.Ok("describe-pull-through-cache-rules").GetProperty("pullThroughCacheRules");
        Assert.Equal(2, rules.GetArrayLength());
        Assert.Equal("sig", rules.EnumerateArray().Single(r => r.GetProperty("ecrRepositoryPrefix").GetString() == "k8s").GetProperty("upstreamRepositoryPrefix").GetString());

        var plan = terraform.Run("plan", "-detailed-exitcode", "-input=false");
        Assert.True(plan.ExitCode == 0, $"terraform plan should find no changes: {plan}");

        var destroyed = terraform.Ok("destroy", "-auto-approve", "-input=false").StandardOutput;
        Assert.Contains("Resources: 2 destroyed.", destroyed, StringComparison.Ordinal);
        Assert.Equal(0, aws.Ok("describe-pull-through-cache-rules").GetProperty("pullThroughCacheRules").GetArrayLength());
    }

    /// <summary>
    /// A generic rule as --cli-input-json: the aws CLI fetches an http:// parameter value itself (its URL-parameter
    /// feature) and would send the page instead of the URL.
    /// </summary>
    private static string GenericRule(string prefix, string url, string? credentialArn = null) =>
        JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["ecrRepositoryPrefix"] = prefix,
            ["upstreamRegistryUrl"] = url,
            ["upstreamRegistry"] = "generic",
            ["credentialArn"] = credentialArn,
        }.Where(p => p.Value is not null).ToDictionary());

    private static ProcessResult BerthWithStdin(string input, params string[] arguments)
    {
        var command = "printf '%s' \"$BERTH_TEST_INPUT\" | dotnet \"$BERTH_TEST_DLL\" " + string.Join(' ', arguments.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return Tools.Run("bash", ["-c", command], new Dictionary<string, string>
        {
            ["BERTH_TEST_INPUT"] = input,
            ["BERTH_TEST_DLL"] = Path.Combine(AppContext.BaseDirectory, "berth.dll"),
        }, TimeSpan.FromSeconds(60));
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file);
        return await reader.ReadToEndAsync();
    }

    /// <summary>An upstream registry and an open-mode Berth server, each on its own data, with an OCI layout to push from.</summary>
    private sealed class Scene : IAsyncDisposable
    {
        private readonly TempDirectory _data;
        private readonly TempDirectory _work = new();

        private Scene(UpstreamRegistry upstream, ServerProcess server, TempDirectory data)
        {
            _data = data;
            Upstream = upstream;
            Server = server;
            Aws = new AwsCli(server.Endpoint, "AKIAIOSFODNN7EXAMPLE", "not-checked");
            Layout = new OciLayoutBuilder(_work.Path);
        }

        public UpstreamRegistry Upstream { get; }

        public ServerProcess Server { get; }

        public AwsCli Aws { get; }

        public OciLayoutBuilder Layout { get; }

        public Skopeo Skopeo { get; } = new();

        public string DataDir => _data.Path;

        public static async Task<Scene> StartAsync()
        {
            var upstream = await UpstreamRegistry.StartAsync();
            var data = new TempDirectory();
            var server = await ServerProcess.StartAsync(data.Path, auth: "none");
            return new Scene(upstream, server, data);
        }

        /// <summary>Copies a docker:// image (host/name:tag) to an OCI layout and reads its digests.</summary>
        public PulledImage Pull(string image)
        {
            var path = Skopeo.NewDirectory("pulled");
            Skopeo.Ok(Skopeo.Copy("docker://" + image, $"oci:{path}:pulled", "--preserve-digests"));
            return PulledImage.FromOciLayout(path, "pulled");
        }

        /// <summary>The image's details once the cache has stored it (it stores in the background after serving).</summary>
        public async Task<JsonElement> WaitForImageAsync(string repository, string tag)
        {
            for (var i = 0; i < 100; i++)
            {
                var described = Aws.Run("describe-images", "--repository-name", repository, "--image-ids", "imageTag=" + tag);
                if (described.ExitCode == 0)
                {
                    return JsonDocument.Parse(described.StandardOutput).RootElement.GetProperty("imageDetails")[0].Clone();
                }

                await Task.Delay(100);
            }

            throw new InvalidOperationException($"{repository}:{tag} was never stored");
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Upstream.DisposeAsync();
            Skopeo.Dispose();
            _data.Dispose();
            _work.Dispose();
        }
    }
}
