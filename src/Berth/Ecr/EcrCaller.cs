using Berth.Domain.Auth;

namespace Berth.Ecr;

/// <summary>Who sent an ECR API request: the principal, and the region whose endpoint it called.</summary>
public sealed record EcrCaller(Principal Principal, string Region, string? AccessKeyId)
{
    public string AccountId => Principal.AccountId;

    public string PrincipalArn => Principal.Arn;
}
