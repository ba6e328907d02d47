using Berth.Domain.Scanning.Osv;

namespace Berth.Domain.Scanning;

/// <summary>
/// ECR's severity names for an advisory: the database's own rating when it gives one (GitHub's
/// <c>database_specific.severity</c>, Debian's urgency, an ecosystem's severity), else the CVSS v3 base score's band,
/// else UNDEFINED.
/// </summary>
public static class FindingSeverity
{
    public const string Critical = "CRITICAL", High = "HIGH", Medium = "MEDIUM", Low = "LOW", Informational = "INFORMATIONAL", Undefined = "UNDEFINED";

    /// <summary>Every severity in ECR's order, for counts.</summary>
    public static readonly IReadOnlyList<string> All = [Critical, High, Medium, Low, Informational, Undefined];

    public static string Of(OsvAdvisory advisory, OsvAffected affected)
    {
        if ((Named(affected.Severity) ?? Named(advisory.DatabaseSeverity)) is { } named)
        {
            return named;
        }

        var score = Cvss3Score(advisory);
        return score is null ? Undefined : Band(score.Value);
    }

    /// <summary>The CVSS v3 base score, computed from the advisory's first CVSS_V3 vector.</summary>
    public static double? Cvss3Score(OsvAdvisory advisory)
    {
        foreach (var s in advisory.Severity)
        {
            if (s.Type == "CVSS_V3" && Cvss3.BaseScore(s.Score) is { } score)
            {
                return score;
            }
        }

        return null;
    }

    public static string Band(double score) => score switch
    {
        >= 9.0 => Critical,
        >= 7.0 => High,
        >= 4.0 => Medium,
        > 0 => Low,
        _ => Informational,
    };

    private static string? Named(string? rating) => rating?.Trim().ToUpperInvariant() switch
    {
        "CRITICAL" => Critical,
        "HIGH" or "IMPORTANT" => High,
        "MEDIUM" or "MODERATE" => Medium,
        "LOW" => Low,
        "NEGLIGIBLE" or "UNIMPORTANT" => Informational,
        _ => null,
    };
}
