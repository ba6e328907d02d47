using System.Text.Json;

namespace Berth.Tests.EndToEnd;

/// <summary>Runs `aws ecr ...` (or another service's commands) against a Berth endpoint with explicit credentials and no user config.</summary>
public sealed class AwsCli(string endpoint, string accessKeyId, string secretAccessKey, string region = "us-east-1")
{
    public ProcessResult Run(params string[] arguments) => RunService("ecr", arguments);

    /// <summary>Runs `aws &lt;service&gt; ...`, such as `aws sts get-caller-identity`.</summary>
    public ProcessResult RunService(string service, params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = accessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
            ["AWS_DEFAULT_REGION"] = region,
            ["AWS_CONFIG_FILE"] = "/nonexistent/berth-tests",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/berth-tests",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_MAX_ATTEMPTS"] = "1",
            ["AWS_PAGER"] = string.Empty,
        };
        string[] common = ["--endpoint-url", endpoint, "--region", region, "--output", "json"];
        return Tools.Run("aws", [service, .. arguments, .. common], environment, TimeSpan.FromSeconds(60));
    }

    /// <summary>Runs and asserts success, returning the parsed JSON output (an empty object when none).</summary>
    public JsonElement Ok(params string[] arguments)
    {
        var result = Run(arguments);
        Assert.True(result.ExitCode == 0, $"aws ecr {string.Join(' ', arguments)} failed: {result}");
        return JsonDocument.Parse(string.IsNullOrWhiteSpace(result.StandardOutput) ? "{}" : result.StandardOutput).RootElement;
    }

    /// <summary>Runs and asserts failure with the given error code in the CLI's message.</summary>
    public string Fails(string errorCode, params string[] arguments)
    {
        var result = Run(arguments);
        Assert.True(result.ExitCode != 0, $"aws ecr {string.Join(' ', arguments)} should have failed: {result}");
        Assert.Contains($"({errorCode})", result.StandardError, StringComparison.Ordinal);
        return result.StandardError;
    }
}
