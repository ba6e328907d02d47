namespace Berth.Domain.Auth.Policies;

/// <summary>The request facts a condition may read; any other key is refused when the policy is parsed.</summary>
public enum ConditionKeyKind
{
    PrincipalAccount,
    PrincipalArn,
    PrincipalType,
    SourceIp,
    CurrentTime,
    SecureTransport,

    /// <summary><c>aws:ResourceTag/K</c> or <c>ecr:ResourceTag/K</c>: the value of tag K on the resource.</summary>
    ResourceTag,

    /// <summary><c>aws:RequestTag/K</c>: the value of tag K the request sets.</summary>
    RequestTag,

    /// <summary><c>aws:TagKeys</c>: every tag key the request names (a set).</summary>
    TagKeys,
}
