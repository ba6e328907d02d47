using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Tests.Domain.Auth;

public sealed class PrincipalTests
{
    [Theory]
    [InlineData("arn:aws:iam::123456789012:root", PrincipalKind.Root)]
    [InlineData("arn:aws:iam::123456789012:user/ci/pusher", PrincipalKind.User)]
    [InlineData("arn:aws-cn:iam::123456789012:role/deploy", PrincipalKind.Role)]
    [InlineData("arn:aws:sts::123456789012:assumed-role/deploy/session-1", PrincipalKind.Role)]
    public void IAM_and_STS_principal_ARNs_parse_with_their_kind(string arn, PrincipalKind kind)
    {
        Assert.True(Principal.TryParse(arn, out var principal));
        Assert.Equal(new Principal("123456789012", arn, kind), principal);
    }

    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("arn:aws:ecr:us-east-1:123456789012:repository/app")]
    [InlineData("arn:aws:iam::12345:root")]
    [InlineData("arn:aws:iam:us-east-1:123456789012:root")]
    [InlineData("arn:aws:iam::123456789012:user/")]
    [InlineData("arn:aws:iam::123456789012:group/admins")]
    public void Anything_but_a_principal_ARN_is_refused(string text)
    {
        Assert.False(Principal.TryParse(text, out _));
    }

    [Fact]
    public void An_access_key_acts_as_its_accounts_root_in_the_partition_given()
    {
        var key = new AccessKey("AKIAEXAMPLEEXAMPLE01", "secret", "210987654321", DateTimeOffset.UnixEpoch);

        Assert.Equal(new Principal("210987654321", "arn:aws:iam::210987654321:root", PrincipalKind.Root), Principal.OfAccessKey(key, "aws"));
        Assert.Equal("arn:aws-cn:iam::210987654321:root", Principal.OfAccessKey(key, "aws-cn").Arn);
    }

    [Fact]
    public void A_users_access_key_acts_as_that_user()
    {
        var key = new AccessKey("AKIAEXAMPLEEXAMPLE02", "secret", "210987654321", DateTimeOffset.UnixEpoch) { UserName = "ci-pusher" };

        Assert.Equal(new Principal("210987654321", "arn:aws:iam::210987654321:user/ci-pusher", PrincipalKind.User), Principal.OfAccessKey(key, "aws"));
        Assert.True(Principal.TryParse(Principal.OfAccessKey(key, "aws-cn").Arn, out var parsed));
        Assert.Equal(PrincipalKind.User, parsed.Kind);
    }
}
