using System.Net;
using System.Security.Cryptography;
using System.Text;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Storage.Postgres;

/// <summary>
/// Nodes on one PostgreSQL database, each with its own data dir, given the same secrets key: what one node signs (registry
/// passwords, download URLs) another accepts, the first key is made once, and a node given another secrets key refuses
/// to start.
/// </summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresSharedKeysTests : IAsyncLifetime
{
    private const string Account = "123456789012";

    private readonly TempDirectory _root = new();
    private readonly string _secretsKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await TestPostgres.DropDatabaseAsync(_connectionString);
        _root.Dispose();
    }

    [Fact]
    public async Task A_registry_password_and_a_download_URL_from_one_node_are_accepted_by_another()
    {
        await using var a = await StartNodeAsync("a", AuthMode.SigV4);
        await using var b = await StartNodeAsync("b", AuthMode.SigV4);
        var credentials = new SigV4Credentials("AKIASHAREDKEYSNODE01", "shared-keys-secret", Account);
        Assert.True(await a.Services.GetRequiredService<AccessKeyService>().AddAsync(
            new AccessKey(credentials.AccessKeyId, credentials.SecretAccessKey, Account, DateTimeOffset.UtcNow), CancellationToken.None));
        var ecrA = a.Ecr().WithCredentials(credentials);
        await ecrA.OkAsync("CreateRepository", """{"repositoryName":"shared"}""");
        var token = (await ecrA.OkAsync("GetAuthorizationToken")).GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        await new OciClient(a.Client, "Basic " + token).PushImageAsync("shared", "v1", "nodes");

        // The password node A issued pulls through node B.
        using (var pulled = await new OciClient(b.Client, "Basic " + token).GetAsync("/v2/shared/manifests/v1"))
        {
            await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
        }

        // And so does the URL node A signed, with no credentials at all.
        var layer = Encoding.UTF8.GetBytes("layer of nodes");
        var url = new Uri((await ecrA.OkAsync("GetDownloadUrlForLayer", $$"""{"repositoryName":"shared","layerDigest":"{{V2Pusher.Sha(layer)}}"}"""))
            .GetProperty("downloadUrl").GetString()!);
        using var download = await b.Client.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(layer, await download.Content.ReadAsByteArrayAsync());

        // Neither data dir holds the signing key: it is in the database, sealed.
        Assert.False(File.Exists(Path.Combine(_root.Path, "a", "registry-token.key")));
        Assert.False(File.Exists(Path.Combine(_root.Path, "b", "registry-token.key")));
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_an_empty_database_make_one_first_key_and_one_signing_key()
    {
        var logsA = new RecordingLogs();
        var logsB = new RecordingLogs();
        var bothLooked = new Rendezvous(2);

        var nodes = await Task.WhenAll(
            Task.Run(() => StartNodeAsync("a", AuthMode.SigV4, logsA, gate: bothLooked)),
            Task.Run(() => StartNodeAsync("b", AuthMode.SigV4, logsB, gate: bothLooked)));
        await using var a = nodes[0];
        await using var b = nodes[1];

        Assert.Equal(1, await a.Services.GetRequiredService<IMetadataStore>().AccessKeys.CountAsync(CancellationToken.None));
        Assert.Single(logsA.Events.Concat(logsB.Events), name => name == "FirstKeyCreated");
        var (password, _) = a.Services.GetRequiredService<RegistryTokenService>().Issue(Principal.Root(Account, "aws"), "us-east-1");
        Assert.NotNull(b.Services.GetRequiredService<RegistryTokenService>().Validate(password));
    }

    [Fact]
    public async Task A_node_given_another_secrets_key_than_the_registrys_refuses_to_start_saying_what_to_do()
    {
        await using (await StartNodeAsync("a", AuthMode.None))
        {
        }

        var other = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var error = await Assert.ThrowsAsync<SecretsKeyMismatchException>(() => StartNodeAsync("b", AuthMode.None, secretsKey: other));
        Assert.StartsWith("berth: this registry's signing key does not open with the secrets key in Berth:SecretsKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("every node of a registry must be given the same secrets key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(other, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);

        // With access keys stored (the first one, under sigv4), those are what shows the key wrong.
        await using (await StartNodeAsync("a", AuthMode.SigV4))
        {
        }

        error = await Assert.ThrowsAsync<SecretsKeyMismatchException>(() => StartNodeAsync("b", AuthMode.SigV4, secretsKey: other));
        Assert.StartsWith("berth: none of the 1 stored access keys opens with the secrets key in Berth:SecretsKey", error.Message, StringComparison.Ordinal);

        // The right key still starts a node.
        await using var b = await StartNodeAsync("b", AuthMode.SigV4);
    }

    /// <summary>A node on the test's database with its own data dir under the test's folder, blobs shared by all nodes.</summary>
    /// <param name="node">The node's data dir name.</param>
    /// <param name="auth">The --auth setting.</param>
    /// <param name="logs">Receives the node's log events.</param>
    /// <param name="secretsKey">The node's Berth:SecretsKey; the test's shared one when null.</param>
    /// <param name="gate">Holds the node after it has counted the access keys until the other node has too.</param>
    private Task<BerthHost> StartNodeAsync(string node, AuthMode auth, ILoggerProvider? logs = null, string? secretsKey = null, Rendezvous? gate = null) =>
        BerthHost.StartAsync(auth, Path.Combine(_root.Path, node),
            services =>
            {
                if (logs is not null)
                {
                    services.AddSingleton(logs);
                }

                if (gate is not null)
                {
                    var composed = services.Last(d => d.ServiceType == typeof(IMetadataStore));
                    services.Remove(composed);
                    services.AddSingleton<IMetadataStore>(provider => new CountGatedStore((IMetadataStore)composed.ImplementationFactory!(provider), gate));
                }
            },
            new Dictionary<string, string?>
            {
                ["Berth:Storage:Metadata:Type"] = "postgres",
                ["Berth:Storage:Metadata:Postgres:ConnectionString"] = _connectionString,
                ["Berth:Storage:Blobs:FileSystem:Path"] = Path.Combine(_root.Path, "blobs"),
                ["Berth:SecretsKey"] = secretsKey ?? _secretsKey,
            });

    /// <summary>Lets callers on until <paramref name="parties"/> of them have arrived, so they all act on what they saw before.</summary>
    private sealed class Rendezvous(int parties)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task ArriveAsync()
        {
            if (Interlocked.Increment(ref _arrived) == parties)
            {
                _all.TrySetResult();
            }

            return _all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>
    /// A node's store whose access-key count (made once, at start, to decide on a first key) answers only once every node
    /// has counted: both see an empty database, as nodes starting at the same instant would, every time.
    /// </summary>
    private sealed class CountGatedStore(IMetadataStore inner, Rendezvous gate) : ForwardingMetadataStore(inner)
    {
        public override IAccessKeyStore AccessKeys { get; } = new CountGatedKeys(inner.AccessKeys, gate);
    }

    private sealed class CountGatedKeys(IAccessKeyStore inner, Rendezvous gate) : IAccessKeyStore
    {
        public async Task<int> CountAsync(CancellationToken cancellationToken)
        {
            var count = await inner.CountAsync(cancellationToken);
            await gate.ArriveAsync();
            return count;
        }

        public Task<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken) => inner.FindAsync(accessKeyId, cancellationToken);

        public Task<bool> AddAsync(AccessKey key, CancellationToken cancellationToken) => inner.AddAsync(key, cancellationToken);

        public Task<IReadOnlyList<AccessKey>> ListAsync(string? accountId, CancellationToken cancellationToken) => inner.ListAsync(accountId, cancellationToken);

        public Task<bool> SetStatusAsync(string accessKeyId, AccessKeyStatus status, CancellationToken cancellationToken) =>
            inner.SetStatusAsync(accessKeyId, status, cancellationToken);

        public Task<bool> DeleteAsync(string accessKeyId, CancellationToken cancellationToken) => inner.DeleteAsync(accessKeyId, cancellationToken);

        public Task<bool> ReplaceSecretAsync(string accessKeyId, string expected, string replacement, CancellationToken cancellationToken) =>
            inner.ReplaceSecretAsync(accessKeyId, expected, replacement, cancellationToken);
    }
}
