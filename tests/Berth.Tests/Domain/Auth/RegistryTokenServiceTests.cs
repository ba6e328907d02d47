using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Domain.Auth;
using Berth.Tests.Support;

namespace Berth.Tests.Domain.Auth;

public sealed class RegistryTokenServiceTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private readonly FixedTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Theory]
    [InlineData("arn:aws:iam::123456789012:root")]
    [InlineData("arn:aws:iam::123456789012:user/ci/pusher")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/deploy/session-1")]
    public void A_password_carries_the_callers_principal(string arn)
    {
        Assert.True(Principal.TryParse(arn, out var principal));
        var tokens = new RegistryTokenService(Key, _time);

        var (password, expiresAt) = tokens.Issue(principal, "eu-west-1");
        var token = tokens.Validate(password);

        Assert.NotNull(token);
        Assert.Equal(principal, token.Principal);
        Assert.Equal(("123456789012", "eu-west-1", expiresAt), (token.AccountId, token.Region, token.ExpiresAt));
    }

    [Theory]
    [InlineData("AKIAOLDTOKENKEYID001", "us-east-1", "arn:aws:iam::123456789012:root")]
    [InlineData("AKIAOLDTOKENKEYID001", "cn-north-1", "arn:aws-cn:iam::123456789012:root")]
    [InlineData("123456789012", "us-east-1", "arn:aws:iam::123456789012:root")]
    public void A_password_issued_before_principals_names_its_accounts_root(string oldPrincipalField, string region, string expected)
    {
        var tokens = new RegistryTokenService(Key, _time);

        var token = tokens.Validate(OldPassword("123456789012", region, oldPrincipalField, _time.GetUtcNow().AddHours(1)));

        Assert.NotNull(token);
        Assert.Equal(new Principal("123456789012", expected, PrincipalKind.Root), token.Principal);
        Assert.Equal(region, token.Region);
    }

    [Fact]
    public void A_password_names_the_access_key_that_asked_for_it()
    {
        Assert.True(Principal.TryParse("arn:aws:iam::123456789012:user/ci", out var principal));
        var tokens = new RegistryTokenService(Key, _time);

        Assert.Equal("AKIAASKINGKEY0000001", tokens.Validate(tokens.Issue(principal, "us-east-1", "AKIAASKINGKEY0000001").Password)!.AccessKeyId);
        Assert.Null(tokens.Validate(tokens.Issue(principal, "us-east-1").Password)!.AccessKeyId);
        Assert.Equal("AKIAOLDTOKENKEYID001", tokens.Validate(OldPassword("123456789012", "us-east-1", "AKIAOLDTOKENKEYID001", _time.GetUtcNow().AddHours(1)))!.AccessKeyId);
        Assert.Null(tokens.Validate(OldPassword("123456789012", "us-east-1", "123456789012", _time.GetUtcNow().AddHours(1)))!.AccessKeyId);
    }

    [Fact]
    public void A_principal_of_another_account_than_the_token_is_not_believed()
    {
        var tokens = new RegistryTokenService(Key, _time);

        var token = tokens.Validate(OldPassword("123456789012", "us-east-1", "arn:aws:iam::210987654321:root", _time.GetUtcNow().AddHours(1)));

        Assert.Equal("arn:aws:iam::123456789012:root", token!.Principal.Arn);
    }

    [Theory]
    [InlineData("253402300800")]
    [InlineData("9223372036854775807")]
    public void A_password_expiring_past_year_9999_is_refused_without_throwing(string expires)
    {
        var tokens = new RegistryTokenService(Key, _time);
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', "123456789012", "us-east-1", "arn:aws:iam::123456789012:root", expires));
        var password = $"v1.{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(Key, payload))}";

        Assert.Null(tokens.Validate(password));
    }

    // The v1 format as Berth wrote it before principals: account, region, access key id (or root ARN), expiry.
    private static string OldPassword(string account, string region, string principal, DateTimeOffset expires)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', account, region, principal, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return $"v1.{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(Key, payload))}";
    }
}
