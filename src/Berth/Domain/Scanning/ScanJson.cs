using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Domain.Scanning;

/// <summary>How scan state is stored as text: findings documents and scanning rules, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ScanFinding>))]
[JsonSerializable(typeof(List<ScanningRule>))]
internal sealed partial class ScanJsonContext : JsonSerializerContext;

/// <summary>Reading and writing the stored texts.</summary>
public static class ScanJson
{
    public static string Findings(List<ScanFinding> findings) => JsonSerializer.Serialize(findings, ScanJsonContext.Default.ListScanFinding);

    public static List<ScanFinding> Findings(string json) => JsonSerializer.Deserialize(json, ScanJsonContext.Default.ListScanFinding) ?? [];

    public static string Rules(IReadOnlyList<ScanningRule> rules) => JsonSerializer.Serialize([.. rules], ScanJsonContext.Default.ListScanningRule);

    public static IReadOnlyList<ScanningRule> Rules(string json) => JsonSerializer.Deserialize(json, ScanJsonContext.Default.ListScanningRule) ?? [];

    /// <summary>Severity counts as <c>CRITICAL=1;HIGH=2</c>.</summary>
    public static string Counts(IReadOnlyDictionary<string, int> counts) =>
        string.Join(';', counts.Select(static c => $"{c.Key}={c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    public static IReadOnlyDictionary<string, int> Counts(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && int.TryParse(pair.AsSpan(eq + 1), System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                counts[pair[..eq]] = n;
            }
        }

        return counts;
    }
}
