using Berth.Hosting;
using Berth.Tests.Storage.S3;

namespace Berth.Tests.EndToEnd;

/// <summary>The storage settings of nodes on the test PostgreSQL server and S3 bucket, as an operator writes them.</summary>
internal static class SharedStorage
{
    /// <summary>As environment variables, for `berth` processes.</summary>
    public static Dictionary<string, string> Environment(string connectionString, string bucket, string prefix) => new()
    {
        ["BERTH_STORAGE__METADATA__TYPE"] = "postgres",
        ["BERTH_STORAGE__METADATA__POSTGRES__CONNECTION_STRING"] = connectionString,
        ["BERTH_STORAGE__BLOBS__TYPE"] = "s3",
        ["BERTH_STORAGE__BLOBS__S3__SERVICE_URL"] = TestS3.Endpoint(),
        ["BERTH_STORAGE__BLOBS__S3__BUCKET"] = bucket,
        ["BERTH_STORAGE__BLOBS__S3__REGION"] = "us-east-1",
        ["BERTH_STORAGE__BLOBS__S3__FORCE_PATH_STYLE"] = "true",
        ["BERTH_STORAGE__BLOBS__S3__PREFIX"] = prefix,
    };

    /// <summary>The same as configuration keys, for an in-process server.</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string bucket, string prefix) =>
        Environment(connectionString, bucket, prefix).ToDictionary(setting => BerthConfiguration.ToKey(setting.Key)!, setting => (string?)setting.Value);
}
