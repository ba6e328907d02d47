using System.Text.Json;

namespace Berth.Domain.Scanning.Osv;

/// <summary>One advisory of an OSV database (https://ossf.github.io/osv-schema/), the parts the scanner reports.</summary>
public sealed record OsvAdvisory(
    string Id,
    IReadOnlyList<string> Aliases,
    string? Summary,
    string? Details,
    DateTimeOffset? Published,
    DateTimeOffset? Modified,
    IReadOnlyList<string> References,
    IReadOnlyList<OsvSeverity> Severity,
    string? DatabaseSeverity,
    IReadOnlyList<OsvAffected> Affected)
{
    /// <summary>The name ECR reports: the CVE id when the advisory is one or has one as alias, else its own id.</summary>
    public string FindingName
    {
        get
        {
            if (Id.StartsWith("CVE-", StringComparison.Ordinal))
            {
                return Id;
            }

            foreach (var alias in Aliases)
            {
                if (alias.StartsWith("CVE-", StringComparison.Ordinal))
                {
                    return alias;
                }
            }

            return Id;
        }
    }

    /// <summary>Parses one advisory document; null when it is not an OSV object with an id.</summary>
    public static OsvAdvisory? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            using var document = JsonDocument.ParseValue(ref reader);
            return From(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static OsvAdvisory? From(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || String(root, "id") is not { Length: > 0 } id)
        {
            return null;
        }

        var affected = new List<OsvAffected>();
        foreach (var item in Array(root, "affected"))
        {
            if (!item.TryGetProperty("package", out var package) || String(package, "ecosystem") is not { } ecosystem || String(package, "name") is not { } name)
            {
                continue;
            }

            var ranges = new List<OsvRange>();
            foreach (var range in Array(item, "ranges"))
            {
                var events = new List<OsvEvent>();
                foreach (var e in Array(range, "events"))
                {
                    foreach (var kind in (ReadOnlySpan<string>)["introduced", "fixed", "last_affected", "limit"])
                    {
                        if (String(e, kind) is { } version)
                        {
                            events.Add(new OsvEvent(kind, version));
                        }
                    }
                }

                ranges.Add(new OsvRange(String(range, "type") ?? string.Empty, events));
            }

            var versions = Strings(item, "versions");
            string? ecosystemSeverity = null;
            if (item.TryGetProperty("ecosystem_specific", out var specific) && specific.ValueKind == JsonValueKind.Object)
            {
                ecosystemSeverity = String(specific, "severity") ?? String(specific, "urgency");
            }

            if (ecosystemSeverity is null && item.TryGetProperty("database_specific", out var affectedSpecific) && affectedSpecific.ValueKind == JsonValueKind.Object)
            {
                ecosystemSeverity = String(affectedSpecific, "severity") ?? String(affectedSpecific, "urgency");
            }

            affected.Add(new OsvAffected(ecosystem, name, ranges, versions, ecosystemSeverity));
        }

        var severity = new List<OsvSeverity>();
        foreach (var s in Array(root, "severity"))
        {
            if (String(s, "type") is { } type && String(s, "score") is { } score)
            {
                severity.Add(new OsvSeverity(type, score));
            }
        }

        var references = new List<string>();
        foreach (var r in Array(root, "references"))
        {
            if (String(r, "url") is { } url)
            {
                references.Add(url);
            }
        }

        string? databaseSeverity = null;
        if (root.TryGetProperty("database_specific", out var database) && database.ValueKind == JsonValueKind.Object)
        {
            databaseSeverity = String(database, "severity");
        }

        return new OsvAdvisory(
            id, Strings(root, "aliases"), String(root, "summary"), String(root, "details"),
            Time(root, "published"), Time(root, "modified"), references, severity, databaseSeverity, affected);
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        String(element, name) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    // Enumerable rather than ArrayEnumerator: a default ArrayEnumerator cannot stand for a missing array.
#pragma warning disable CA1859
    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];
#pragma warning restore CA1859

    private static List<string> Strings(JsonElement element, string name)
    {
        var list = new List<string>();
        foreach (var item in Array(element, name))
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(item.GetString()!);
            }
        }

        return list;
    }
}

public sealed record OsvSeverity(string Type, string Score);

public sealed record OsvAffected(string Ecosystem, string Name, IReadOnlyList<OsvRange> Ranges, IReadOnlyList<string> Versions, string? Severity);

public sealed record OsvRange(string Type, IReadOnlyList<OsvEvent> Events);

/// <summary>One range event: <c>introduced</c>, <c>fixed</c>, <c>last_affected</c> or <c>limit</c>, at a version.</summary>
public sealed record OsvEvent(string Kind, string Version);
