namespace Berth.Domain.Templates;

/// <summary>
/// How a template's prefix selects repositories. A prefix names a namespace with an implied trailing <c>/</c>, so
/// <c>prod</c> and <c>prod/</c> are one template that applies to <c>prod/x</c> (not to <c>prod</c> or
/// <c>production/x</c>); <c>ROOT</c> applies to every repository. The most specific (longest) match wins.
/// </summary>
public static class TemplatePrefix
{
    public const string Root = "ROOT";

    /// <summary>The normalised key of a prefix: <c>ROOT</c>, or the namespace with exactly one trailing <c>/</c>.</summary>
    public static string KeyOf(string prefix) =>
        prefix == Root ? Root : prefix.TrimEnd('/') + "/";

    /// <summary>
    /// Every template key that matches <paramref name="repositoryName"/>, most specific first: each enclosing namespace
    /// (<c>a/b/</c>, then <c>a/</c> for <c>a/b/c</c>), then <c>ROOT</c>.
    /// </summary>
    public static IReadOnlyList<string> MatchingKeys(string repositoryName)
    {
        var keys = new List<string>();
        for (var slash = repositoryName.LastIndexOf('/'); slash > 0; slash = repositoryName.LastIndexOf('/', slash - 1))
        {
            keys.Add(repositoryName[..(slash + 1)]);
        }

        keys.Add(Root);
        return keys;
    }

    /// <summary>ECR's spelling of the uses, in the model's order.</summary>
    public static IReadOnlyList<string> ToWire(TemplateUses uses)
    {
        var names = new List<string>(3);
        if (uses.HasFlag(TemplateUses.Replication))
        {
            names.Add("REPLICATION");
        }

        if (uses.HasFlag(TemplateUses.PullThroughCache))
        {
            names.Add("PULL_THROUGH_CACHE");
        }

        if (uses.HasFlag(TemplateUses.CreateOnPush))
        {
            names.Add("CREATE_ON_PUSH");
        }

        return names;
    }

    /// <summary>Parses names the model validator has already checked against the enum.</summary>
    public static TemplateUses FromWire(IEnumerable<string> names)
    {
        var uses = TemplateUses.None;
        foreach (var name in names)
        {
            uses |= name switch
            {
                "REPLICATION" => TemplateUses.Replication,
                "PULL_THROUGH_CACHE" => TemplateUses.PullThroughCache,
                "CREATE_ON_PUSH" => TemplateUses.CreateOnPush,
                _ => throw new ArgumentOutOfRangeException(nameof(names), name, "not an ECR appliedFor value"),
            };
        }

        return uses;
    }
}
