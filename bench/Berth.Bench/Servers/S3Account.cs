using Amazon.Runtime;
using Amazon.S3;

namespace Berth.Bench.Servers;

/// <summary>The dummy credentials and region every client of the throwaway S3 server uses (moto accepts any signature).</summary>
public sealed record S3Account(string AccessKeyId, string SecretAccessKey, string Region)
{
    public static S3Account Dummy { get; } = new(MotoServer.AnyCredentials.AccessKeyId, MotoServer.AnyCredentials.SecretAccessKey, "us-east-1");

    /// <summary>A path-style client of <paramref name="endpoint"/> that sends checksums only where S3 requires them, as Berth's does.</summary>
    public AmazonS3Client Client(Uri endpoint) => new(
        new BasicAWSCredentials(AccessKeyId, SecretAccessKey),
        new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = Region,
            ForcePathStyle = true,
            UseHttp = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromMinutes(10),
        });

    /// <summary>What a Berth process needs to find these credentials the SDK's usual way.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey,
        ["AWS_REGION"] = Region,
    };
}
