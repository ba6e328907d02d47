using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Runs terraform in a working directory of its own, isolated from the machine and the network: its own CLI
/// configuration installs the AWS provider only from the local filesystem mirror (no registry download), its own
/// HOME and data dir, no version checkpoint, explicit credentials, and a dead proxy for anything not on loopback.
/// </summary>
public sealed class TerraformRunner : IDisposable
{
    public const string ProviderMirror = "/opt/tf-plugins";
    public const string AwsProviderVersion = "5.100.0";

    private const string CliConfig = """
        provider_installation {
          filesystem_mirror {
            path    = "MIRROR"
            include = ["registry.terraform.io/hashicorp/aws"]
          }
          direct {
            exclude = ["registry.terraform.io/hashicorp/aws"]
          }
        }
        """;

    /// <summary>
    /// The head of every configuration: the mirrored AWS provider with ECR, STS and IAM pointed at Berth
    /// (<c>var.endpoint</c>), so credentials are validated and the account looked up through Berth's STS, and the
    /// provider's iam:GetUser attempt (made when validation is skipped) never leaves the machine.
    /// </summary>
    public static readonly string AwsProviderConfiguration = """
        terraform {
          required_providers {
            aws = { source = "hashicorp/aws", version = "VERSION" }
          }
        }

        variable "endpoint" { type = string }

        provider "aws" {
          region                     = "us-east-1"
          skip_metadata_api_check    = true
          skip_region_validation     = true
          skip_requesting_account_id = false
          endpoints {
            ecr = var.endpoint
            sts = var.endpoint
            iam = var.endpoint
          }
        }
        """.Replace("VERSION", AwsProviderVersion, StringComparison.Ordinal) + "\n\n";

    private readonly TempDirectory _root = new();
    private readonly Dictionary<string, string> _environment;

    public TerraformRunner(string accessKeyId, string secretAccessKey)
    {
        Directory.CreateDirectory(WorkingDirectory);
        var cliConfig = Path.Combine(_root.Path, "cli.tfrc");
        File.WriteAllText(cliConfig, CliConfig.Replace("MIRROR", ProviderMirror, StringComparison.Ordinal));
        _environment = new Dictionary<string, string>
        {
            ["HOME"] = _root.Path,
            ["TF_CLI_CONFIG_FILE"] = cliConfig,
            ["TF_DATA_DIR"] = Path.Combine(_root.Path, "data"),
            ["TF_IN_AUTOMATION"] = "1",
            ["TF_INPUT"] = "0",
            ["CHECKPOINT_DISABLE"] = "1",
            ["AWS_ACCESS_KEY_ID"] = accessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
            ["AWS_CONFIG_FILE"] = "/nonexistent/berth-tests",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/berth-tests",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            // Go's HTTP client never proxies loopback, so Berth is reached directly and any other host fails fast.
            ["HTTP_PROXY"] = "http://127.0.0.1:9",
            ["HTTPS_PROXY"] = "http://127.0.0.1:9",
            ["NO_PROXY"] = "127.0.0.1,localhost",
        };
    }

    /// <summary>Where the configuration files go and terraform runs.</summary>
    public string WorkingDirectory => Path.Combine(_root.Path, "work");

    /// <summary>True when the mirror holds the provider for this machine's platform, in either of the mirror's layouts.</summary>
    public static bool MirrorHoldsAwsProvider()
    {
        var provider = Path.Combine(ProviderMirror, "registry.terraform.io", "hashicorp", "aws");
        return Directory.Exists(Path.Combine(provider, AwsProviderVersion, "linux_amd64"))
            || File.Exists(Path.Combine(provider, $"terraform-provider-aws_{AwsProviderVersion}_linux_amd64.zip"));
    }

    public void WriteFile(string name, string content) => File.WriteAllText(Path.Combine(WorkingDirectory, name), content);

    /// <summary>Runs terraform with colour and prompts off; a Terraform run starts the provider several times, so it may take minutes under load.</summary>
    public ProcessResult Run(params string[] arguments) =>
        Tools.Run("terraform", [.. arguments, "-no-color"], _environment, TimeSpan.FromMinutes(5), WorkingDirectory);

    /// <summary>Runs and asserts exit code 0.</summary>
    public ProcessResult Ok(params string[] arguments)
    {
        var result = Run(arguments);
        Assert.True(result.ExitCode == 0, $"terraform {string.Join(' ', arguments)}: {result}");
        return result;
    }

    /// <summary>The root module's outputs, as `terraform output -json` prints them, by name.</summary>
    public IReadOnlyDictionary<string, string> Outputs()
    {
        using var document = JsonDocument.Parse(Ok("output", "-json").StandardOutput);
        return document.RootElement.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetProperty("value").ToString());
    }

    public void Dispose() => _root.Dispose();
}
