using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Berth.Domain;
using Berth.Storage.S3;
using Microsoft.Extensions.Options;

namespace Berth.Hosting.Composition;

/// <summary>
/// The <c>Berth:Storage:Blobs:S3</c> section. Credentials are not here: the AWS SDK finds them where it always does
/// (environment, shared profile, container or instance role).
/// </summary>
public sealed class S3BlobOptions
{
    public const string DefaultRegion = "us-east-1";

    /// <summary>An S3-compatible endpoint such as <c>http://127.0.0.1:9000</c>; AWS S3 of <see cref="Region"/> when unset.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    /// <summary>The signing region, and AWS S3's endpoint when no <see cref="ServiceUrl"/> is set.</summary>
    public string? Region { get; set; }

    /// <summary><c>true</c> for <c>endpoint/bucket/key</c> addressing, which most S3-compatible servers need.</summary>
    public string? ForcePathStyle { get; set; }

    /// <summary>A key prefix, so that several registries (or other data) can share one bucket.</summary>
    public string? Prefix { get; set; }

    /// <summary><c>true</c> to send blob pulls to presigned S3 URLs instead of streaming them through Berth.</summary>
    public string? Redirect { get; set; }

    /// <summary>The prefix as keys use it: empty, or without a leading and with a trailing '/'.</summary>
    public string NormalizedPrefix => Prefix?.Trim('/') is { Length: > 0 } trimmed ? trimmed + "/" : string.Empty;

    public bool IsPathStyle => bool.TryParse(ForcePathStyle, out var value) && value;

    public bool IsRedirect => bool.TryParse(Redirect, out var value) && value;
}

/// <summary>The S3 blob backend (type <c>s3</c>): blobs and uploads in a bucket that several nodes may share.</summary>
public static class S3BlobBackend
{
    public const string Type = "s3";

    public static StorageBackend Backend { get; } = new(Type, "S3", Register);

    /// <summary>An S3 client for these options, with credentials from the SDK's usual sources.</summary>
    public static AmazonS3Client CreateClient(S3BlobOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.IsPathStyle,
            // Checksums only where S3 requires them: many S3-compatible servers reject the SDK's default trailing CRCs,
            // and every blob is verified against its digest anyway.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var region = string.IsNullOrEmpty(options.Region) ? S3BlobOptions.DefaultRegion : options.Region;
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = region;
        }

        return new AmazonS3Client(config);
    }

    private static void Register(IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<S3BlobOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3BlobOptions>>(new S3BlobOptionsValidator(section.Path));

        services.AddSingleton<IAmazonS3>(provider => CreateClient(provider.GetRequiredService<IOptions<S3BlobOptions>>().Value));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<S3BlobOptions>>().Value;
            return new S3BlobStore(provider.GetRequiredService<IAmazonS3>(), options.Bucket!, options.NormalizedPrefix, options.IsRedirect,
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<S3BlobOptions>>().Value;
            return new S3UploadStore(provider.GetRequiredService<IAmazonS3>(), options.Bucket!, options.NormalizedPrefix,
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<S3BlobStore>());
        services.AddSingleton<IBlobUploadStore>(provider => provider.GetRequiredService<S3UploadStore>());
    }
}
