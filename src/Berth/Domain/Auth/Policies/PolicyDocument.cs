namespace Berth.Domain.Auth.Policies;

/// <summary>A validated IAM policy: its statements, and which request facts its conditions read.</summary>
public sealed record PolicyDocument(PolicyKind Kind, string Version, IReadOnlyList<PolicyStatement> Statements)
{
    public const string Version2012 = "2012-10-17";
    public const string Version2008 = "2008-10-17";

    /// <summary>True when a condition reads <c>aws:ResourceTag/*</c> or <c>ecr:ResourceTag/*</c>, so the caller must load the resource's tags.</summary>
    public bool ReadsResourceTags => Reads(ConditionKeyKind.ResourceTag);

    /// <summary>True when a condition reads a key of this kind.</summary>
    public bool Reads(ConditionKeyKind kind)
    {
        foreach (var statement in Statements)
        {
            foreach (var condition in statement.Conditions)
            {
                if (condition.Key.Kind == kind)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
