using System.Text.Json;
using Berth.Tests.EndToEnd;
using Berth.Tests.Support;

namespace Berth.Tests.Diagnostics;

/// <summary>
/// <c>--log-format json --access-log true</c> on the real server: standard output is one JSON object per line, each
/// request leaves an access line naming who did what, refused signatures leave a warning, and no secret, token or
/// signature reaches the log.
/// </summary>
public sealed class JsonLogEndToEndTests
{
    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public async Task Json_logs_carry_access_lines_and_refusals_and_never_a_secret()
    {
        using var directory = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(Path.Combine(directory.Path, "data"), "sigv4",
            _ => ["--log-format", "json", "--access-log", "true"]);
        var (keyId, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, keyId, secret);
        aws.Ok("create-repository", "--repository-name", "logged/app");
        var password = aws.Run("get-login-password").StandardOutput.Trim();
        Assert.NotEmpty(password);
        using (var skopeo = new Skopeo(password))
        {
            var layout = new OciLayoutBuilder(Path.Combine(directory.Path, "layout"));
            layout.AddImage("v1", ImageFlavor.Oci);
            Skopeo.Ok(skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), $"docker://{server.Registry}/logged/app:v1"));
        }

        var forged = new AwsCli(server.Endpoint, keyId, "not-the-secret-" + new string('x', 24));
        Assert.NotEqual(0, forged.Run("describe-repositories").ExitCode);
        Assert.Equal(0, await server.StopAsync());

        var lines = server.StandardOutputLines;
        Assert.NotEmpty(lines);
        var entries = new List<JsonElement>();
        foreach (var line in lines)
        {
            // Every line is one whole JSON object: nothing else shares standard output.
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            entries.Add(document.RootElement.Clone());
            foreach (var secretValue in new[] { secret, password, "AWS4-HMAC-SHA256", "Signature=", "Credential=", "Basic " })
            {
                Assert.False(line.Contains(secretValue, StringComparison.Ordinal), $"the log holds '{secretValue[..Math.Min(12, secretValue.Length)]}…': {line}");
            }
        }

        var access = entries.Where(e => e.GetProperty("Category").GetString() == "Berth.Access").Select(e => e.GetProperty("State")).ToList();
        var putManifest = Assert.Single(access, s => s.GetProperty("Protocol").GetString() == "oci" && s.GetProperty("Operation").GetString() == "PUT manifest");
        Assert.Equal(201, putManifest.GetProperty("Status").GetInt32());
        Assert.StartsWith("arn:aws:iam::000000000000:root", putManifest.GetProperty("Principal").GetString(), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f-]{36}$", putManifest.GetProperty("RequestId").GetString()!);
        Assert.True(putManifest.GetProperty("DurationMs").GetDouble() >= 0);
        Assert.True(putManifest.GetProperty("BytesIn").GetInt64() > 0);

        var created = Assert.Single(access, s => s.GetProperty("Operation").GetString() == "CreateRepository");
        Assert.Equal("ecr", created.GetProperty("Protocol").GetString());
        Assert.Equal(keyId, created.GetProperty("AccessKeyId").GetString());
        Assert.Equal(200, created.GetProperty("Status").GetInt32());

        var refused = Assert.Single(entries, e => e.GetProperty("Category").GetString()!.EndsWith("EcrPipeline", StringComparison.Ordinal)
            && e.GetProperty("LogLevel").GetString() == "Warning");
        Assert.Equal(keyId, refused.GetProperty("State").GetProperty("AccessKeyId").GetString());
        Assert.Contains("Signature", refused.GetProperty("State").GetProperty("ErrorType").GetString(), StringComparison.Ordinal);
    }
}
