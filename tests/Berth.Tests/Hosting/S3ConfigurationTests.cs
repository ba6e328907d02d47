using Berth.Domain;
using Berth.Hosting.Composition;
using Berth.Storage.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Hosting;

/// <summary>The <c>Berth:Storage:Blobs:S3</c> section: bound from BERTH_* names, checked with one line naming the key.</summary>
public sealed class S3ConfigurationTests
{
    private static Dictionary<string, string?> S3Environment(params (string Name, string? Value)[] overrides)
    {
        var environment = new Dictionary<string, string?>
        {
            ["BERTH_STORAGE__BLOBS__TYPE"] = "s3",
            ["BERTH_STORAGE__BLOBS__S3__SERVICE_URL"] = "http://127.0.0.1:9000",
            ["BERTH_STORAGE__BLOBS__S3__BUCKET"] = "registry-blobs",
            ["BERTH_STORAGE__BLOBS__S3__REGION"] = "eu-west-1",
            ["BERTH_STORAGE__BLOBS__S3__FORCE_PATH_STYLE"] = "true",
            ["BERTH_STORAGE__BLOBS__S3__PREFIX"] = "/team-a/berth/",
            ["BERTH_STORAGE__BLOBS__S3__REDIRECT"] = "TRUE",
        };
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        return environment;
    }

    [Fact]
    public void S3_blob_type_binds_every_key_from_the_environment_and_serves_both_blob_ports()
    {
        var (services, error) = ConfigurationTests.Compose(environment: S3Environment());

        Assert.Null(error);
        using (services)
        {
            Assert.NotNull(services);
            var options = services.GetRequiredService<IOptions<S3BlobOptions>>().Value;
            Assert.Equal("http://127.0.0.1:9000", options.ServiceUrl);
            Assert.Equal("registry-blobs", options.Bucket);
            Assert.Equal("eu-west-1", options.Region);
            Assert.True(options.IsPathStyle);
            Assert.True(options.IsRedirect);
            Assert.Equal("team-a/berth/", options.NormalizedPrefix);
            Assert.IsType<S3BlobStore>(services.GetRequiredService<IBlobStore>());
            Assert.IsType<S3UploadStore>(services.GetRequiredService<IBlobUploadStore>());
        }
    }

    [Theory]
    [InlineData("BERTH_STORAGE__BLOBS__S3__BUCKET", null, "berth: Berth:Storage:Blobs:S3:Bucket is required when Berth:Storage:Blobs:Type is s3")]
    [InlineData("BERTH_STORAGE__BLOBS__S3__BUCKET", "Bad_Bucket", "berth: invalid value 'Bad_Bucket' for Berth:Storage:Blobs:S3:Bucket: expected an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)")]
    [InlineData("BERTH_STORAGE__BLOBS__S3__SERVICE_URL", "ftp://x", "berth: invalid value 'ftp://x' for Berth:Storage:Blobs:S3:ServiceUrl: expected http(s)://HOST[:PORT] of an S3-compatible endpoint")]
    [InlineData("BERTH_STORAGE__BLOBS__S3__REGION", "Mars", "berth: invalid value 'Mars' for Berth:Storage:Blobs:S3:Region: expected a region name such as us-east-1 (or auto)")]
    [InlineData("BERTH_STORAGE__BLOBS__S3__FORCE_PATH_STYLE", "yes", "berth: invalid value 'yes' for Berth:Storage:Blobs:S3:ForcePathStyle: expected true or false")]
    [InlineData("BERTH_STORAGE__BLOBS__S3__REDIRECT", "maybe", "berth: invalid value 'maybe' for Berth:Storage:Blobs:S3:Redirect: expected true or false")]
    [InlineData("BERTH_STORAGE__BLOBS__S3__PREFIX", "a/../b", "berth: invalid value 'a/../b' for Berth:Storage:Blobs:S3:Prefix: expected a key prefix such as berth/ (letters, digits, '-', '_', '.', '/'; no '..' or '//')")]
    public void A_bad_S3_setting_is_one_line_naming_its_key(string variable, string? value, string expected)
    {
        Assert.Equal(expected, ConfigurationTests.Error(environment: S3Environment((variable, value))));
    }

    [Fact]
    public void S3_settings_are_not_checked_when_blobs_are_on_the_filesystem()
    {
        var (services, error) = ConfigurationTests.Compose(environment: new Dictionary<string, string?> { ["BERTH_STORAGE__BLOBS__S3__REDIRECT"] = "maybe" });

        Assert.Null(error);
        services?.Dispose();
    }
}
