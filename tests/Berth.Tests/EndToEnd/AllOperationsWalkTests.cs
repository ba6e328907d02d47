using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// boto3 calls every operation of the ECR model once against a fresh server (Fixtures/boto3_all_operations.py): none
/// may answer UnsupportedOperationException or a server error, and each one either succeeds or gives the one refusal
/// ECR gives for that request.
/// </summary>
public sealed class AllOperationsWalkTests
{
    /// <summary>Operations whose walk request ECR itself refuses, with the code it answers.</summary>
    private static readonly Dictionary<string, string> ExpectedRefusals = new(StringComparer.Ordinal)
    {
    };

    [E2EFact(Tools.Boto3)]
    public async Task Boto3_walks_all_58_operations_and_each_answers_as_ECR_would()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = server.PrintedKey();
        // A signing profile as `berth signing-profiles create` makes it, so PutSigningConfiguration has one to name.
        var profileArn = IdentityEndToEndTests.Ok("signing-profiles", "create", "--data-dir", data.Path, "--account-id", "000000000000", "--name", "walk")
            .StandardOutput.Trim();

        var result = Tools.Run(
            "python3",
            [Path.Combine(AppContext.BaseDirectory, "Fixtures", "boto3_all_operations.py"), server.Endpoint, keyId, secret, profileArn],
            null,
            TimeSpan.FromSeconds(180));

        Assert.True(result.ExitCode == 0, result.ToString());
        var answers = JsonSerializer.Deserialize<Dictionary<string, string>>(result.StandardOutput.Trim().Split('\n')[^1])!;
        Assert.Equal(58, answers.Count);
        var unexpected = answers
            .Where(a => a.Value != "OK")
            .Where(a => !ExpectedRefusals.TryGetValue(a.Key, out var code) || code != a.Value)
            .Select(a => $"{a.Key}: {a.Value}")
            .ToArray();
        Assert.True(unexpected.Length == 0, "unexpected answers: " + string.Join(", ", unexpected));
        Assert.DoesNotContain("UnsupportedOperationException", answers.Values);
    }
}
