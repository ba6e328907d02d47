using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Domain;
using Berth.Hosting;
using Berth.Tests.Oci;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Diagnostics;

/// <summary>
/// The audit trail: one CloudTrail-shaped JSON line for every request that writes or is refused, on both protocols;
/// reads leave none; secrets never appear.
/// </summary>
public sealed class AuditLogTests
{
    private const string Account = "123456789012";
    private const string KeyId = "AKIAAUDITTESTS000001";
    private const string Secret = "audit-secret-key-0000000000000000000000000";

    [Fact]
    public async Task ECR_writes_failures_and_refusals_are_recorded_and_reads_are_not()
    {
        using var dataDir = new TempDirectory();
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path);
        await host.Services.GetRequiredService<IMetadataStore>().AccessKeys.AddAsync(
            new AccessKey(KeyId, Secret, Account, DateTimeOffset.UtcNow), CancellationToken.None);
        var ecr = host.Ecr().WithCredentials(new SigV4Credentials(KeyId, Secret, Account));

        var created = await ecr.CallAsync("CreateRepository", """{"repositoryName":"audited"}""");
        await ecr.OkAsync("DescribeRepositories");
        await ecr.FailsAsync("CreateRepository", """{"repositoryName":"audited"}""", "RepositoryAlreadyExistsException");
        await ecr.FailsAsync("DescribeRepositories", """{"registryId":"210987654321"}""", "AccessDeniedException");
        await host.Ecr().WithCredentials(new SigV4Credentials("AKIAUNKNOWNAUDIT0001", Secret, Account))
            .FailsAsync("DescribeRepositories", "{}", "UnrecognizedClientException");

        // AWS echoes the Authorization header in this refusal; the trail must not keep it.
        await host.Ecr().FailsAsync("DescribeRepositories", "{}", "IncompleteSignatureException");

        var records = await ReadAsync(Path.Combine(dataDir.Path, "audit.log"), 5);

        Assert.Equal(5, records.Count);
        var success = records[0];
        Assert.Equal("CreateRepository", success.GetProperty("eventName").GetString());
        Assert.Equal("ecr.amazonaws.com", success.GetProperty("eventSource").GetString());
        Assert.Equal("us-east-1", success.GetProperty("awsRegion").GetString());
        Assert.Equal($"arn:aws:iam::{Account}:root", success.GetProperty("userIdentity").GetProperty("arn").GetString());
        Assert.Equal("Root", success.GetProperty("userIdentity").GetProperty("type").GetString());
        Assert.Equal(KeyId, success.GetProperty("userIdentity").GetProperty("accessKeyId").GetString());
        Assert.Equal($"arn:aws:ecr:us-east-1:{Account}:repository/audited", success.GetProperty("resources")[0].GetProperty("ARN").GetString());
        Assert.Equal(created.Headers.GetValues("x-amzn-RequestId").Single(), success.GetProperty("requestID").GetString());
        Assert.False(success.GetProperty("readOnly").GetBoolean());
        Assert.Equal("Success", Outcome(success));
        Assert.False(success.TryGetProperty("errorCode", out _));

        Assert.Equal(("CreateRepository", "Failure", "RepositoryAlreadyExistsException"), Summary(records[1]));
        Assert.Equal(("DescribeRepositories", "Denied", "AccessDeniedException"), Summary(records[2]));
        Assert.True(records[2].GetProperty("readOnly").GetBoolean());
        Assert.Equal("arn:aws:ecr:us-east-1:210987654321:repository/*", records[2].GetProperty("resources")[0].GetProperty("ARN").GetString());
        Assert.Equal(("DescribeRepositories", "Denied", "UnrecognizedClientException"), Summary(records[3]));
        Assert.Equal("Unknown", records[3].GetProperty("userIdentity").GetProperty("type").GetString());
        Assert.Equal(("DescribeRepositories", "Denied", "IncompleteSignatureException"), Summary(records[4]));

        var text = await File.ReadAllTextAsync(Path.Combine(dataDir.Path, "audit.log"));
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature=", text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir.Path, "audit.log")));
        }
    }

    [Fact]
    public async Task V2_pushes_and_refused_credentials_are_recorded_and_pulls_and_the_anonymous_challenge_are_not()
    {
        using var dataDir = new TempDirectory();
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path);
        await host.Services.GetRequiredService<IMetadataStore>().AccessKeys.AddAsync(
            new AccessKey(KeyId, Secret, Account, DateTimeOffset.UtcNow), CancellationToken.None);
        var ecr = host.Ecr().WithCredentials(new SigV4Credentials(KeyId, Secret, Account));
        await OciFixture.CreateRepositoryAsync(ecr, "pushed");
        var token = (await ecr.OkAsync("GetAuthorizationToken")).GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        var oci = new OciClient(host.Client).WithAuthorization("Basic " + token);

        var blob = await oci.PushBlobAsync("pushed", "audited layer");
        using (var pull = await oci.GetAsync($"/v2/pushed/blobs/{blob.Digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        }

        using (var anonymous = await new OciClient(host.Client).GetAsync("/v2/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var forged = Convert.ToBase64String(Encoding.ASCII.GetBytes("AWS:not-a-token"));
        using (var refused = await new OciClient(host.Client).WithAuthorization("Basic " + forged).GetAsync("/v2/pushed/tags/list"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var unknown = await oci.DeleteAsync($"/v2/pushed/blobs/{Digest.Compute("never pushed"u8)}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var all = await ReadAsync(Path.Combine(dataDir.Path, "audit.log"), 3);
        // The ECR calls that set up the test (CreateRepository) come first; GetAuthorizationToken only reads.
        var records = all.Where(r => r.GetProperty("additionalEventData").GetProperty("protocol").GetString() == "oci").ToList();

        Assert.Equal("CreateRepository", all[0].GetProperty("eventName").GetString());
        Assert.True(records.Count >= 3, string.Join("\n", records));
        var push = records.Take(records.Count - 2).ToList();
        Assert.All(push, r => Assert.Equal("Success", Outcome(r)));
        Assert.Contains(push, r => r.GetProperty("eventName").GetString() is "InitiateLayerUpload" or "CompleteLayerUpload");
        Assert.All(push, r => Assert.Equal($"arn:aws:ecr:us-east-1:{Account}:repository/pushed", r.GetProperty("resources")[0].GetProperty("ARN").GetString()));
        Assert.All(push, r => Assert.Equal($"arn:aws:iam::{Account}:root", r.GetProperty("userIdentity").GetProperty("arn").GetString()));

        Assert.Equal(("ListImages", "Denied", "UNAUTHORIZED"), Summary(records[^2]));
        Assert.Equal(401, records[^2].GetProperty("additionalEventData").GetProperty("statusCode").GetInt32());
        Assert.Equal(("BatchDeleteImage", "Failure", "BLOB_UNKNOWN"), Summary(records[^1]));
        Assert.Equal("DELETE", records[^1].GetProperty("additionalEventData").GetProperty("httpMethod").GetString());

        var text = await File.ReadAllTextAsync(Path.Combine(dataDir.Path, "audit.log"));
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-token", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Target_off_writes_nothing_and_a_path_setting_moves_the_file()
    {
        using var dataDir = new TempDirectory();
        var elsewhere = Path.Combine(dataDir.Path, "trail", "berth-audit.jsonl");
        await using (var host = await BerthHost.StartAsync(dataDir: dataDir.Path, settings: new Dictionary<string, string?> { ["Berth:Audit:Path"] = elsewhere }))
        {
            await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"moved"}""");
            Assert.Single(await ReadAsync(elsewhere, 1));
        }

        Assert.False(File.Exists(Path.Combine(dataDir.Path, "audit.log")));

        using var quiet = new TempDirectory();
        await using (var host = await BerthHost.StartAsync(dataDir: quiet.Path, settings: new Dictionary<string, string?> { ["Berth:Audit:Target"] = "off" }))
        {
            await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"unrecorded"}""");
        }

        Assert.False(File.Exists(Path.Combine(quiet.Path, "audit.log")));
    }

    [Fact]
    public async Task An_unknown_target_stops_the_server_with_one_line()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            BerthHost.StartAsync(settings: new Dictionary<string, string?> { ["Berth:Audit:Target"] = "syslog" }));

        Assert.Equal("berth: invalid value 'syslog' for Berth:Audit:Target: expected file, stdout or off", error.Message);
    }

    private static string Outcome(JsonElement record) =>
        record.GetProperty("additionalEventData").GetProperty("outcome").GetString()!;

    private static (string?, string, string?) Summary(JsonElement record) => (
        record.GetProperty("eventName").GetString(),
        Outcome(record),
        record.TryGetProperty("errorCode", out var code) ? code.GetString() : null);

    /// <summary>The records written so far, waiting (the trail is written in the background) until at least <paramref name="atLeast"/>.</summary>
    private static async Task<List<JsonElement>> ReadAsync(string path, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = File.Exists(path)
                ? (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList()
                : [];
            if (lines.Count >= atLeast || DateTime.UtcNow > deadline)
            {
                // Records written after the awaited ones would be later requests; give the writer a moment to show any
                // record the test does not expect before the caller counts them.
                await Task.Delay(200);
                lines = File.Exists(path) ? (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList() : [];
                return lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
            }

            await Task.Delay(20);
        }
    }
}
