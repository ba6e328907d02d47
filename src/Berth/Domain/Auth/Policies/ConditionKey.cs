namespace Berth.Domain.Auth.Policies;

/// <summary>A condition key as written (<see cref="Name"/>) and what it reads; <see cref="TagKey"/> for the tag keys.</summary>
public sealed record ConditionKey(string Name, ConditionKeyKind Kind, string? TagKey)
{
    private const string AwsResourceTag = "aws:ResourceTag/";
    private const string EcrResourceTag = "ecr:ResourceTag/";
    private const string AwsRequestTag = "aws:RequestTag/";

    /// <summary>The only key that holds several values.</summary>
    public bool IsSet => Kind == ConditionKeyKind.TagKeys;

    /// <summary>Recognises a key; IAM key names are case-insensitive, the tag key after the slash is kept as written.</summary>
    public static ConditionKey? Parse(string name)
    {
        ConditionKeyKind? kind = name.ToLowerInvariant() switch
        {
            "aws:principalaccount" => ConditionKeyKind.PrincipalAccount,
            "aws:principalarn" => ConditionKeyKind.PrincipalArn,
            "aws:principaltype" => ConditionKeyKind.PrincipalType,
            "aws:sourceip" => ConditionKeyKind.SourceIp,
            "aws:currenttime" => ConditionKeyKind.CurrentTime,
            "aws:securetransport" => ConditionKeyKind.SecureTransport,
            "aws:tagkeys" => ConditionKeyKind.TagKeys,
            _ => null,
        };
        if (kind is { } simple)
        {
            return new ConditionKey(name, simple, null);
        }

        foreach (var (prefix, tagKind) in TagPrefixes)
        {
            if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return new ConditionKey(name, tagKind, name[prefix.Length..]);
            }
        }

        return null;
    }

    private static readonly (string Prefix, ConditionKeyKind Kind)[] TagPrefixes =
    [
        (AwsResourceTag, ConditionKeyKind.ResourceTag),
        (EcrResourceTag, ConditionKeyKind.ResourceTag),
        (AwsRequestTag, ConditionKeyKind.RequestTag),
    ];
}
