using Berth.Storage.S3;
using Berth.Tests.Support;

namespace Berth.Tests.Storage.S3;

/// <summary>The shared upload suite against S3: every test in a fresh prefix of one bucket for the class.</summary>
[RequiresEnvironment(TestS3.Variable, TestS3.SkipReason)]
public sealed class S3BlobUploadStoreTests : BlobUploadStoreSuite
{
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N") + "/";

    protected override BlobBackend OpenBackend(TimeProvider time)
    {
        var options = TestS3.Options(TestS3.Bucket(GetType()), _prefix, redirect: false);
        var client = TestS3.Client(options);
        return new BlobBackend(
            new S3BlobStore(client, options.Bucket!, options.NormalizedPrefix, redirect: false, time),
            new S3UploadStore(client, options.Bucket!, options.NormalizedPrefix, time));
    }
}
