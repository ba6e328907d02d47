using System.Net;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Tests.Support;

namespace Berth.Tests.Domain.Auth;

public sealed class BlobDownloadSignerTests
{
    private const string Blob = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly Principal Signer = Principal.User("123456789012", "ci", "aws");

    [Theory]
    [InlineData("253402300800")]
    [InlineData("99999999999999999")]
    [InlineData("9223372036854775807")]
    public void An_expiry_past_year_9999_is_refused_without_throwing(string expires)
    {
        var signer = new BlobDownloadSigner(Key, new FixedTimeProvider(DateTimeOffset.UtcNow));

        Assert.Null(signer.Validate("123456789012", "us-east-1", "app", Digest.Parse(Blob), Signer.Arn, "AKIACI", expires, new string('0', 64)));
    }

    [Fact]
    public void A_signed_query_names_its_signer_and_still_validates_until_it_expires()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        var signer = new BlobDownloadSigner(Key, clock);
        var query = System.Web.HttpUtility.ParseQueryString(signer.SignQuery(new RepositoryKey("123456789012", "us-east-1", "app"), Digest.Parse(Blob), Signer, "AKIACI"));
        Assert.Equal(Signer.Arn, query[BlobDownloadSigner.PrincipalParameter]);

        SignedDownload? Check() => signer.Validate("123456789012", "us-east-1", "app", Digest.Parse(Blob),
            query[BlobDownloadSigner.PrincipalParameter]!, query[BlobDownloadSigner.AccessKeyParameter], query[BlobDownloadSigner.ExpiresParameter]!, query[BlobDownloadSigner.SignatureParameter]!);

        var valid = Check();
        Assert.NotNull(valid);
        Assert.Equal(Signer, valid.Signer);
        Assert.Equal("AKIACI", valid.AccessKeyId);
        Assert.Equal("123456789012", valid.Scope.AccountId);
        clock.Advance(BlobDownloadSigner.Lifetime);
        Assert.Null(Check());
    }

    [Fact]
    public void A_URL_whose_signer_or_key_was_changed_or_that_names_no_signer_is_refused()
    {
        var signer = new BlobDownloadSigner(Key, new FixedTimeProvider(DateTimeOffset.UtcNow));
        var query = System.Web.HttpUtility.ParseQueryString(signer.SignQuery(new RepositoryKey("123456789012", "us-east-1", "app"), Digest.Parse(Blob), Signer, "AKIACI"));
        var (expires, signature) = (query[BlobDownloadSigner.ExpiresParameter]!, query[BlobDownloadSigner.SignatureParameter]!);

        Assert.NotNull(signer.Validate("123456789012", "us-east-1", "app", Digest.Parse(Blob), Signer.Arn, "AKIACI", expires, signature));
        Assert.Null(signer.Validate("123456789012", "us-east-1", "app", Digest.Parse(Blob), "arn:aws:iam::123456789012:root", "AKIACI", expires, signature));
        Assert.Null(signer.Validate("123456789012", "us-east-1", "app", Digest.Parse(Blob), "arn:aws:iam::123456789012:user/admin", "AKIACI", expires, signature));
        Assert.Null(signer.Validate("123456789012", "us-east-1", "app", Digest.Parse(Blob), Signer.Arn, "AKIAOTHER", expires, signature));
        Assert.Null(signer.Validate("123456789012", "us-east-1", "app", Digest.Parse(Blob), Signer.Arn, null, expires, signature));
        // The format from before URLs named their signer.
        Assert.Null(signer.Validate("123456789012", "us-east-1", "app", Digest.Parse(Blob), "", null, expires, signature));
    }

    [Fact]
    public async Task A_download_URL_with_an_expiry_past_year_9999_answers_401_in_the_OCI_error_shape()
    {
        await using var host = await BerthHost.StartAsync();

        using var response = await host.Client.GetAsync(
            $"/v2/app/blobs/{Blob}?X-Berth-Account=123456789012&X-Berth-Region=us-east-1&X-Berth-Expires=99999999999999999&X-Berth-Signature=00");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("UNAUTHORIZED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
