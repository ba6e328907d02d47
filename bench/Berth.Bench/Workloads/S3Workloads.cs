using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// The shared-storage deployment: Berth on PostgreSQL + S3 against Distribution's s3 driver on the same S3 server, in
/// one run. The group starts its own throwaway moto_server (S3) and PostgreSQL 15 and ends them afterwards; Berth and
/// Distribution get a bucket each. It measures the S3 server alone first, then the blob, skopeo and manifest workloads
/// of the filesystem groups, then two Berth nodes on the same database and bucket against one.
/// </summary>
public static class S3Workloads
{
    private const string BerthBucket = "bench-berth";
    private const string DistributionBucket = "bench-distribution";
    private const string LimitsBucket = "bench-limits";

    // Issue 12's targets, printed in each row's note.
    private static readonly Dictionary<Transfer, double> Targets = new()
    {
        [Transfer.Push] = 1.0,
        [Transfer.Pull] = 1.0,
        [Transfer.Requests] = 10.0,
    };

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        var missing = Tools.Missing(context.Tools.MotoServer, "moto_server", "pip install 'moto[server]==5.2.1'")
            ?? Tools.Missing(context.Tools.PostgresBin, "PostgreSQL 15 (" + Tools.PostgresBinDir + ")", "apt-get install postgresql-15");
        if (missing is not null)
        {
            table.Add(new Row(S3Limits.Group, "Berth on PostgreSQL + S3 (the whole group)", "-", true) { Note = missing });
            return;
        }

        await using var moto = await MotoServer.StartAsync(context, context.NewDir("moto-s3"));
        var account = S3Account.Dummy;
        using var s3 = account.Client(moto.BaseUri);
        foreach (var bucket in new[] { LimitsBucket, BerthBucket, DistributionBucket })
        {
            await s3.PutBucketAsync(bucket);
        }

        BenchContext.Log($"S3 (moto) at {moto.BaseUri}");
        var limit = await S3Limits.MeasureAsync(context, table, moto, s3, LimitsBucket);

        await using var postgres = await PostgresServer.StartAsync(context);
        BenchContext.Log($"PostgreSQL 15 at {postgres.ConnectionString}");
        var environment = BerthEnvironment(context, account, moto.BaseUri, postgres.ConnectionString);
        await using var nodeA = await BerthServer.StartAsync(context, context.NewDir("berth-s3-a"), sigV4: false, environment);
        var (peer, peerMissing) = await StartDistributionAsync(context, moto.BaseUri, account);
        await using var peerScope = peer;

        Sides SidesFor(string group) => new S3Sides(nodeA, peer, peerMissing, group, moto, limit, Targets);
        await BlobWorkloads.MeasureAsync(context, table, SidesFor("blobs on S3 (/v2/)"));
        if (!SkopeoWorkloads.ReportedMissing(context, table, "skopeo on S3 (/v2/)"))
        {
            await SkopeoWorkloads.MeasureAsync(context, table, SidesFor("skopeo on S3 (/v2/)"));
        }

        if (!ManifestWorkloads.ReportedMissing(context, table, "manifests on PostgreSQL + S3 (/v2/)"))
        {
            await ManifestWorkloads.MeasureAsync(context, table, SidesFor("manifests on PostgreSQL + S3 (/v2/)"));
        }

        await using var nodeB = await BerthServer.StartAsync(context, context.NewDir("berth-s3-b"), sigV4: false, environment);
        await TwoNodes.MeasureAsync(context, table, "Berth, two nodes on PostgreSQL + S3", nodeA, nodeB);
    }

    /// <summary>
    /// Berth's storage settings as an operator sets them (environment variables), the S3 SDK's credentials, and one
    /// secrets key file for every node, as nodes of one registry share it.
    /// </summary>
    private static Dictionary<string, string> BerthEnvironment(BenchContext context, S3Account account, Uri endpoint, string connectionString)
    {
        var environment = account.Environment();
        environment["BERTH_STORAGE__METADATA__TYPE"] = "postgres";
        environment["BERTH_STORAGE__METADATA__POSTGRES__CONNECTION_STRING"] = connectionString;
        environment["BERTH_STORAGE__BLOBS__TYPE"] = "s3";
        environment["BERTH_STORAGE__BLOBS__S3__SERVICE_URL"] = endpoint.ToString().TrimEnd('/');
        environment["BERTH_STORAGE__BLOBS__S3__BUCKET"] = BerthBucket;
        environment["BERTH_STORAGE__BLOBS__S3__REGION"] = account.Region;
        environment["BERTH_STORAGE__BLOBS__S3__FORCE_PATH_STYLE"] = "true";
        environment["BERTH_SECRETS_KEY_PATH"] = Path.Combine(context.NewDir("berth-s3-shared"), "secrets.key");
        return environment;
    }

    private static async Task<(DistributionServer? Server, string? Missing)> StartDistributionAsync(BenchContext context, Uri endpoint, S3Account account)
    {
        if (Tools.Missing(context.Tools.DockerRegistry, "docker-registry", "apt-get install docker-registry") is { } missing)
        {
            return (null, missing);
        }

        try
        {
            return (await DistributionServer.StartOnS3Async(context, context.NewDir("registry-s3"), endpoint, DistributionBucket, account), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            return (null, "failed to start docker-registry on s3: " + Peers.FirstLine(ex.Message));
        }
    }
}
