namespace Berth.Domain.Scanning;

/// <summary>Which registry rule applies to a repository, and the frequency it is scanned at.</summary>
public static class ScanningRules
{
    /// <summary>A repository's effective scanning, as BatchGetRepositoryScanningConfiguration reports it.</summary>
    public sealed record Applied(string ScanFrequency, IReadOnlyList<string> Filters)
    {
        public bool ScanOnPush => ScanFrequency != Scanning.ScanFrequency.Manual;
    }

    /// <summary>
    /// A continuous rule matching the repository wins over an on-push one (ENHANCED); with no matching rule, the
    /// repository's own (deprecated) scanOnPush still means on-push under BASIC; else MANUAL.
    /// </summary>
    public static Applied For(RegistryScanningConfiguration configuration, Repository repository)
    {
        Applied? onPush = null;
        foreach (var rule in configuration.Rules)
        {
            var matched = rule.Filters.Where(filter => Wildcard(filter, repository.Key.Name)).ToList();
            if (matched.Count == 0)
            {
                continue;
            }

            if (rule.ScanFrequency == ScanFrequency.Continuous)
            {
                return new Applied(ScanFrequency.Continuous, matched);
            }

            onPush ??= new Applied(rule.ScanFrequency, matched);
        }

        if (onPush is not null)
        {
            return onPush;
        }

        return repository.ScanOnPush && configuration.ScanType == RegistryScanningConfiguration.Basic
            ? new Applied(ScanFrequency.OnPush, [])
            : new Applied(ScanFrequency.Manual, []);
    }

    /// <summary>ECR's WILDCARD filter: <c>*</c> stands for any run of characters, everything else is literal.</summary>
    public static bool Wildcard(string filter, string name)
    {
        int f = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (f < filter.Length && filter[f] == '*')
            {
                star = f++;
                mark = n;
            }
            else if (f < filter.Length && filter[f] == name[n])
            {
                f++;
                n++;
            }
            else if (star >= 0)
            {
                f = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (f < filter.Length && filter[f] == '*')
        {
            f++;
        }

        return f == filter.Length;
    }
}
