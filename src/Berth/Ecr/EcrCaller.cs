namespace Berth.Ecr;

/// <summary>Who sent an ECR API request: the account and region it acts in.</summary>
public sealed record EcrCaller(string AccountId, string Region, string? AccessKeyId)
{
    public string PrincipalArn => $"arn:{Domain.RepositoryArn.Partition(Region)}:iam::{AccountId}:root";
}
