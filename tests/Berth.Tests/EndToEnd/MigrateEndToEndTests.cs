using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Hosting;
using Berth.Storage.Migration;
using Berth.Tests.Ecr;
using Berth.Tests.Storage.Postgres;
using Berth.Tests.Storage.S3;
using Berth.Tests.Support;
using Npgsql;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// `berth migrate` run as an operator runs it: a registry built through both APIs on SQLite and files, moved into a
/// real PostgreSQL database and S3 bucket, then read back through the APIs of a server on the target.
/// </summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
[RequiresEnvironment(TestS3.Variable, TestS3.SkipReason)]
public sealed partial class MigrateEndToEndTests : IAsyncLifetime
{
    private const string Account = "123456789012";

    private readonly TempDirectory _source = new();
    private readonly List<string> _databases = [];
    private readonly string _prefix = "migrate-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await TestPostgres.DropDatabaseAsync(database);
        }

        _source.Dispose();
    }

    [Fact]
    public async Task A_registry_moved_to_postgres_and_s3_reads_back_the_same_through_both_apis_and_its_keys_still_sign()
    {
        var before = await BuildSourceAsync();
        var database = await NewDatabaseAsync();

        var migrated = Migrate(database);

        Assert.True(migrated.ExitCode == 0, migrated.ToString());
        Assert.Contains("migrate: copied ", migrated.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("repositories 2", migrated.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("users 1", migrated.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"migrate: blobs: \d+ copied \(\d+ bytes, each verified against its digest\), 0 already in the bucket", migrated.StandardOutput);
        Assert.Contains("migrate: not moved: 1 rows of uploads", migrated.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("every node needs the secrets key", migrated.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("BERTH_STORAGE__METADATA__TYPE=postgres", migrated.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"BERTH_STORAGE__BLOBS__S3__PREFIX={_prefix}", migrated.StandardOutput, StringComparison.Ordinal);

        // A node with its own data dir, given only a copy of the secrets key (the signing key moved in the database).
        using var node = new TempDirectory();
        File.Copy(Path.Combine(_source.Path, SigningKeyFile.SecretsFileName), Path.Combine(node.Path, SigningKeyFile.SecretsFileName));
        await using var target = await BerthHost.StartAsync(AuthMode.SigV4, node.Path, settings: TargetSettings(database));
        var ecr = target.Ecr().WithCredentials(before.Key);

        Assert.Equal(before.Repositories, Normalized((await ecr.OkAsync("DescribeRepositories")).GetProperty("repositories")));
        foreach (var (repository, images) in before.Images)
        {
            Assert.Equal(images, await DescribeImagesAsync(ecr, repository));
        }

        Assert.Equal(before.Tags, (await ecr.OkAsync("ListTagsForResource", EcrJson.Of(new { resourceArn = before.AppArn }))).GetProperty("tags").GetRawText());
        Assert.Equal(before.LifecyclePolicy, Normalized(await ecr.OkAsync("GetLifecyclePolicy", EcrJson.Of(new { repositoryName = "app" }))));
        Assert.Equal(before.RepositoryPolicy, Normalized(await ecr.OkAsync("GetRepositoryPolicy", EcrJson.Of(new { repositoryName = "app" }))));

        // /v2/ through a registry token: manifests by digest and blob bytes as pushed.
        var token = (await ecr.OkAsync("GetAuthorizationToken")).GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        var oci = new OciClient(target.Client).WithAuthorization("Basic " + token);
        foreach (var (repository, digest, bytes) in before.Manifests)
        {
            using var manifest = await oci.GetAsync($"/v2/{repository}/manifests/{digest}",
                ("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json"));
            Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
            Assert.Equal(bytes, await manifest.Content.ReadAsByteArrayAsync());
        }

        using var blob = await oci.GetAsync($"/v2/app/blobs/{before.LargeLayer}");
        Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        Assert.Equal(before.LargeLayer, V2Pusher.Sha(await blob.Content.ReadAsByteArrayAsync()));
        using var tagList = await oci.GetAsync("/v2/app/tags/list");
        var tags = JsonDocument.Parse(await tagList.Content.ReadAsStringAsync()).RootElement.GetProperty("tags");
        Assert.Equal(["v1", "v2"], tags.EnumerateArray().Select(tag => tag.GetString()!).Order(StringComparer.Ordinal));

        // The user's key still signs (its secret was sealed under the copied key file); a wrong secret does not.
        var stranger = target.Ecr().WithCredentials(before.Key with { SecretAccessKey = new string('x', 40) });
        Assert.NotEqual(HttpStatusCode.OK, (await stranger.CallAsync("DescribeRepositories")).Status);

        // New repositories get fresh ids after the copied ones.
        await ecr.OkAsync("CreateRepository", EcrJson.Of(new { repositoryName = "after-migrate" }));
        await ecr.OkAsync("DescribeImages", EcrJson.Of(new { repositoryName = "after-migrate" }));
    }

    [Fact]
    public async Task Migrate_refuses_a_database_that_holds_data_and_a_second_run_resumes_the_blob_copy()
    {
        await BuildSourceAsync();
        var first = await NewDatabaseAsync();
        Assert.Equal(0, Migrate(first).ExitCode);

        var again = Migrate(first);

        Assert.Equal(1, again.ExitCode);
        Assert.Matches(@"^berth: the target database postgres://\S+ already holds Berth data \(\d+ rows in \w+.*\); migrate only into an empty database$", again.StandardError.Trim());

        // What an interrupted run leaves (the blobs in the bucket, the database empty) is picked up: nothing is copied twice.
        var resumed = Migrate(await NewDatabaseAsync());
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Matches(@"migrate: blobs: 0 copied \(0 bytes, each verified against its digest\), [1-9]\d* already in the bucket", resumed.StandardOutput);
    }

    [Fact]
    public async Task Migrate_refuses_while_a_server_serves_the_data_dir()
    {
        await BuildSourceAsync();
        await using var serving = await BerthHost.StartAsync(dataDir: _source.Path);

        var refused = Migrate(await NewDatabaseAsync());

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"berth: a berth server is serving the data dir {_source.Path}; stop it before migrating (migrate moves a registry nobody is writing to)", refused.StandardError.Trim());
    }

    [Fact]
    public async Task Migrate_needs_postgres_and_s3_as_the_target_and_an_existing_registry_as_the_source()
    {
        var noTarget = Berth(new Dictionary<string, string> { ["BERTH_DATA_DIR"] = _source.Path });
        var noSource = Migrate(await NewDatabaseAsync());

        Assert.Equal(2, noTarget.ExitCode);
        Assert.StartsWith("berth: migrate moves a registry to PostgreSQL and S3: configure the target as serve will run on it", noTarget.StandardError.Trim(), StringComparison.Ordinal);
        Assert.Equal(2, noSource.ExitCode);
        Assert.Equal($"berth: no Berth data in '{_source.Path}'", noSource.StandardError.Trim());
    }

    [Fact]
    public async Task The_postgres_schema_has_exactly_the_tables_migrate_knows()
    {
        var database = await NewDatabaseAsync();
        // A node started on the empty database applies every PostgreSQL migration.
        await (await BerthHost.StartAsync(settings: TargetSettings(database))).DisposeAsync();

        var tables = new List<string>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        Assert.Equal(MigrationTables.Copied.Concat(MigrationTables.LeftBehind.Keys).Order(StringComparer.Ordinal), tables.Order(StringComparer.Ordinal));
    }

    /// <summary>What the source answered before the move, to compare the target's answers with.</summary>
    private sealed record SourceState(
        SigV4Credentials Key,
        string AppArn,
        string Repositories,
        Dictionary<string, string> Images,
        string Tags,
        string LifecyclePolicy,
        string RepositoryPolicy,
        List<(string Repository, string Digest, byte[] Bytes)> Manifests,
        string LargeLayer);

    /// <summary>
    /// Builds the source registry: two repositories (one tagged), images pushed over /v2/ (one layer larger than an S3
    /// part, an index) and through the ECR layer API, a lifecycle policy that has run, a repository policy, a user with
    /// a policy and a key, and an upload left in flight; then stops the server and returns what it answered.
    /// </summary>
    private async Task<SourceState> BuildSourceAsync()
    {
        var user = Cli("users", "create", "--account-id", Account, "--name", "ci");
        var policyFile = Path.Combine(_source.Path, "..", $"policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(policyFile, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:*","sts:GetCallerIdentity"],"Resource":"*"}]}""");
        Cli("users", "attach-policy", "--account-id", Account, "--name", "ci", "--policy-name", "all", "--policy-file", policyFile);
        File.Delete(policyFile);
        var created = Cli("keys", "create", "--account-id", Account, "--user", "ci");
        var key = new SigV4Credentials(
            KeyId().Match(created.StandardOutput).Groups[1].Value, Secret().Match(created.StandardOutput).Groups[1].Value, Account);
        Assert.Contains("user/ci", user.StandardOutput, StringComparison.Ordinal);

        await using (var source = await BerthHost.StartAsync(dataDir: _source.Path))
        {
            var ecr = source.Ecr();
            var appArn = (await ecr.OkAsync("CreateRepository", EcrJson.Of(new
            {
                repositoryName = "app",
                tags = new[] { new { Key = "team", Value = "core" } },
            }))).GetProperty("repository").GetProperty("repositoryArn").GetString()!;
            await ecr.OkAsync("CreateRepository", EcrJson.Of(new { repositoryName = "tools", imageTagMutability = "IMMUTABLE" }));

            var large = RandomNumberGenerator.GetBytes((9 * 1024 * 1024) + 123);
            var app = new V2Pusher(source.Client, "app");
            var v1 = await app.PushImageAsync("v1", large);
            var v2 = await app.PushImageAsync("v2");
            var untagged = await app.PushImageAsync(null);
            var index = await app.PushIndexAsync(null, v1, v2);
            var referrer = await app.PushReferrerAsync(v1);
            var stable = await PushThroughEcrAsync(ecr, "tools", "stable");

            await ecr.OkAsync("PutLifecyclePolicy", EcrJson.Of(new
            {
                repositoryName = "app",
                lifecyclePolicyText = """{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":365},"action":{"type":"expire"}}]}""",
            }));
            await ecr.OkAsync("SetRepositoryPolicy", EcrJson.Of(new
            {
                repositoryName = "app",
                policyText = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":["ecr:BatchGetImage"]}]}""",
            }));
            Assert.Equal(0, Cli("lifecycle", "run").ExitCode);
            // An upload in flight, which migrate leaves behind.
            await new OciClient(source.Client).StartUploadAsync("app");

            var images = new Dictionary<string, string>
            {
                ["app"] = await DescribeImagesAsync(ecr, "app"),
                ["tools"] = await DescribeImagesAsync(ecr, "tools"),
            };
            return new SourceState(
                key,
                appArn,
                Normalized((await ecr.OkAsync("DescribeRepositories")).GetProperty("repositories")),
                images,
                (await ecr.OkAsync("ListTagsForResource", EcrJson.Of(new { resourceArn = appArn }))).GetProperty("tags").GetRawText(),
                Normalized(await ecr.OkAsync("GetLifecyclePolicy", EcrJson.Of(new { repositoryName = "app" }))),
                Normalized(await ecr.OkAsync("GetRepositoryPolicy", EcrJson.Of(new { repositoryName = "app" }))),
                [
                    ("app", v1.Digest, v1.Manifest), ("app", v2.Digest, v2.Manifest), ("app", untagged.Digest, untagged.Manifest),
                    ("app", index.Digest, index.Manifest), ("app", referrer.Digest, referrer.Manifest), ("tools", stable.Digest, stable.Manifest),
                ],
                V2Pusher.Sha(large));
        }
    }

    /// <summary>Pushes a config and a layer through InitiateLayerUpload/UploadLayerPart/CompleteLayerUpload, then PutImage.</summary>
    private static async Task<(string Digest, byte[] Manifest)> PushThroughEcrAsync(EcrClient ecr, string repository, string tag)
    {
        var config = System.Text.Encoding.UTF8.GetBytes("""{"architecture":"arm64","os":"linux"}""");
        var layer = RandomNumberGenerator.GetBytes(4096);
        foreach (var bytes in new[] { config, layer })
        {
            var uploadId = (await ecr.OkAsync("InitiateLayerUpload", EcrJson.Of(new { repositoryName = repository }))).GetProperty("uploadId").GetString()!;
            await ecr.OkAsync("UploadLayerPart", EcrJson.Of(new { repositoryName = repository, uploadId, partFirstByte = 0, partLastByte = bytes.Length - 1, layerPartBlob = bytes }));
            await ecr.OkAsync("CompleteLayerUpload", EcrJson.Of(new { repositoryName = repository, uploadId, layerDigests = new[] { V2Pusher.Sha(bytes) } }));
        }

        var manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"{{V2Pusher.Sha(config)}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"{{V2Pusher.Sha(layer)}}","size":{{layer.Length}}}]}""";
        var put = await ecr.OkAsync("PutImage", EcrJson.Of(new { repositoryName = repository, imageManifest = manifest, imageTag = tag }));
        var digest = put.GetProperty("image").GetProperty("imageId").GetProperty("imageDigest").GetString()!;
        return (digest, System.Text.Encoding.UTF8.GetBytes(manifest));
    }

    /// <summary>Every image of the repository as DescribeImages answers (imagePushedAt, sizes, tags, digests, media types), in digest order.</summary>
    private static async Task<string> DescribeImagesAsync(EcrClient ecr, string repository)
    {
        var details = (await ecr.OkAsync("DescribeImages", EcrJson.Of(new { repositoryName = repository }))).GetProperty("imageDetails");
        Assert.True(details.GetArrayLength() > 0);
        return Normalized(details);
    }

    /// <summary>The JSON with object members sorted, so answers compare by value.</summary>
    private static string Normalized(JsonElement element) => JsonSerializer.Serialize(Sorted(element));

    private static object? Sorted(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new SortedDictionary<string, object?>(
            element.EnumerateObject().ToDictionary(property => property.Name, property => Sorted(property.Value)), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Sorted).ToList(),
        _ => element.Clone(),
    };

    private Dictionary<string, string?> TargetSettings(string database) => SharedStorage.Settings(database, TestS3.Bucket(GetType()), _prefix);

    private async Task<string> NewDatabaseAsync()
    {
        TestS3.EnsureCredentials();
        var database = await TestPostgres.CreateDatabaseAsync();
        _databases.Add(database);
        return database;
    }

    /// <summary>Runs `berth migrate` on the source data dir with the target configured through the environment, as serve would read it.</summary>
    private ProcessResult Migrate(string database)
    {
        var environment = SharedStorage.Environment(database, TestS3.Bucket(GetType()), _prefix);
        environment["BERTH_DATA_DIR"] = _source.Path;
        return Berth(environment);
    }

    private static ProcessResult Berth(IDictionary<string, string> environment) =>
        Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), "migrate"], environment, TimeSpan.FromMinutes(3));

    private ProcessResult Cli(params string[] arguments)
    {
        var result = Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments, "--data-dir", _source.Path], null, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [GeneratedRegex(@"aws_access_key_id\s+=\s+(\S+)")]
    private static partial Regex KeyId();

    [GeneratedRegex(@"aws_secret_access_key\s+=\s+(\S+)")]
    private static partial Regex Secret();
}
