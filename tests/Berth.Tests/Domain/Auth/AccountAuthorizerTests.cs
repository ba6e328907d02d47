using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Tests.Domain.Auth;

public sealed class AccountAuthorizerTests
{
    private static readonly RegistryScope Own = new("123456789012", "us-east-1");
    private static readonly RegistryScope Other = new("210987654321", "us-east-1");


    public static TheoryData<Principal> Principals() =>
    [
        Principal.Root("123456789012", "aws"),
        new Principal("123456789012", "arn:aws:iam::123456789012:user/ci", PrincipalKind.User),
        new Principal("123456789012", "arn:aws:iam::123456789012:role/deploy", PrincipalKind.Role),
    ];

    [Theory]
    [MemberData(nameof(Principals))]
    public void Any_principal_may_act_on_its_own_accounts_registry_and_repositories(Principal principal)
    {
        Assert.Equal(AuthorizationDecision.Allowed, AccountAuthorizer.Decide(principal, RegistryResource.Of(Own)));
        Assert.Equal(AuthorizationDecision.Allowed, AccountAuthorizer.Decide(principal, RegistryResource.Of(Own.Repository("app"))));
        Assert.Equal(AuthorizationDecision.Allowed, AccountAuthorizer.Decide(principal, RegistryResource.Of(new RepositoryKey("123456789012", "eu-west-1", "app"))));
    }

    [Theory]
    [MemberData(nameof(Principals))]
    public void No_principal_may_act_in_another_account(Principal principal)
    {
        Assert.Equal(AuthorizationDecision.Denied, AccountAuthorizer.Decide(principal, RegistryResource.Of(Other)));
        Assert.Equal(AuthorizationDecision.Denied, AccountAuthorizer.Decide(principal, RegistryResource.Of(Other.Repository("app"))));
    }

    [Fact]
    public void Resources_name_the_ARN_IAM_evaluates()
    {
        Assert.Equal("arn:aws:ecr:us-east-1:123456789012:registry", RegistryResource.Of(Own).Arn);
        Assert.Equal("arn:aws:ecr:us-east-1:123456789012:repository/team/app", RegistryResource.Of(Own.Repository("team/app")).Arn);
        Assert.Equal("arn:aws-cn:ecr:cn-north-1:123456789012:registry", RegistryResource.Of(new RegistryScope("123456789012", "cn-north-1")).Arn);
    }
}
