namespace Berth.Domain.Auth.Policies;

/// <summary>A validated IAM policy: its statements, and which request facts its conditions read.</summary>
public sealed record PolicyDocument(PolicyKind Kind, string Version, IReadOnlyList<PolicyStatement> Statements)
{
    public const string Version2012 = "2012-10-17";
    public const string Version2008 = "2008-10-17";

    /// <summary>True when a condition reads <c>aws:ResourceTag/*</c> or <c>ecr:ResourceTag/*</c>, so the caller must load the resource's tags.</summary>
    public bool ReadsResourceTags
    {
        get
        {
            foreach (var statement in Statements)
            {
                foreach (var condition in statement.Conditions)
                {
                    if (condition.Key.Kind == ConditionKeyKind.ResourceTag)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
