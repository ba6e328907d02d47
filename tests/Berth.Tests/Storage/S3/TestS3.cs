using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;
using Berth.Hosting.Composition;

namespace Berth.Tests.Storage.S3;

/// <summary>
/// The S3-compatible server the tests use: <c>BERTH_TEST_S3</c>, its endpoint URL (path-style addressing; .ci/run starts
/// moto's server). Unset, the tests skip with that reason, or fail when BERTH_E2E_REQUIRED=1. Credentials come from the
/// usual AWS variables, or are dummies a local server accepts.
/// </summary>
internal static class TestS3
{
    public const string Variable = "BERTH_TEST_S3";

    /// <summary>Why a class marked <c>[RequiresEnvironment(TestS3.Variable, TestS3.SkipReason)]</c> is skipped.</summary>
    public const string SkipReason = "needs an S3-compatible server's endpoint URL (.ci/run starts moto_server)";

    private static readonly ConcurrentDictionary<string, Lazy<Task>> Buckets = new();

    /// <summary>The endpoint; a failure when there is none (the class should have been skipped, or the run requires it).</summary>
    public static string Endpoint()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } endpoint)
        {
            return endpoint;
        }

        // Classes marked [RequiresEnvironment(Variable, ...)] are skipped before this point unless BERTH_E2E_REQUIRED=1.
        throw new InvalidOperationException($"{SkipReason}: {Variable} is not set");
    }

    /// <summary>The options a backend over the test server uses.</summary>
    public static S3BlobOptions Options(string bucket, string prefix, bool redirect) => new()
    {
        ServiceUrl = Endpoint(),
        Bucket = bucket,
        Region = "us-east-1",
        ForcePathStyle = "true",
        Prefix = prefix,
        Redirect = redirect ? "true" : "false",
    };

    /// <summary>A client of the test server, as the backend makes it, with dummy credentials when none are set.</summary>
    public static IAmazonS3 Client(S3BlobOptions options)
    {
        EnsureCredentials();
        return S3BlobBackend.CreateClient(options);
    }

    /// <summary>A bucket named for the test class, created once per test run.</summary>
    public static string Bucket(Type testClass)
    {
        var name = ("berth-" + testClass.Name.ToLowerInvariant() + "-" + RunId).Replace('_', '-');
        name = name.Length > 63 ? name[..63].TrimEnd('-') : name;
        Buckets.GetOrAdd(name, static bucket => new Lazy<Task>(() => CreateBucketAsync(bucket))).Value.GetAwaiter().GetResult();
        return name;
    }

    /// <summary>Sets dummy credentials for the SDK's default chain when the environment has none (a local server accepts any).</summary>
    public static void EnsureCredentials()
    {
        if (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is null)
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "berth-test");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "berth-test-secret");
        }
    }

    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];

    private static async Task CreateBucketAsync(string bucket)
    {
        using var client = Client(Options("placeholder", string.Empty, redirect: false));
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
    }
}
