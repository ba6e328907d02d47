namespace Berth.Domain.Scanning;

/// <summary>The CVSS v3.0/v3.1 base score of a vector (<c>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</c>), per FIRST's specification.</summary>
public static class Cvss3
{
    public static double? BaseScore(string vector)
    {
        if (!vector.StartsWith("CVSS:3.", StringComparison.Ordinal))
        {
            return null;
        }

        var metrics = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in vector.Split('/')[1..])
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                metrics[part[..colon]] = part[(colon + 1)..];
            }
        }

        if (!metrics.TryGetValue("S", out var scopeText))
        {
            return null;
        }

        var changed = scopeText == "C";
        double? av = Get(metrics, "AV") switch { "N" => 0.85, "A" => 0.62, "L" => 0.55, "P" => 0.2, _ => null };
        double? ac = Get(metrics, "AC") switch { "L" => 0.77, "H" => 0.44, _ => null };
        double? pr = Get(metrics, "PR") switch { "N" => 0.85, "L" => changed ? 0.68 : 0.62, "H" => changed ? 0.5 : 0.27, _ => null };
        double? ui = Get(metrics, "UI") switch { "N" => 0.85, "R" => 0.62, _ => null };
        double? c = Impact(Get(metrics, "C"));
        double? i = Impact(Get(metrics, "I"));
        double? a = Impact(Get(metrics, "A"));
        if (av is null || ac is null || pr is null || ui is null || c is null || i is null || a is null)
        {
            return null;
        }

        var iss = 1 - ((1 - c.Value) * (1 - i.Value) * (1 - a.Value));
        var impact = changed ? (7.52 * (iss - 0.029)) - (3.25 * Math.Pow(iss - 0.02, 15)) : 6.42 * iss;
        var exploitability = 8.22 * av.Value * ac.Value * pr.Value * ui.Value;
        if (impact <= 0)
        {
            return 0;
        }

        return changed ? RoundUp(Math.Min(1.08 * (impact + exploitability), 10)) : RoundUp(Math.Min(impact + exploitability, 10));
    }

    private static string? Get(Dictionary<string, string> metrics, string name) => metrics.GetValueOrDefault(name);

    private static double? Impact(string? value) => value switch { "H" => 0.56, "L" => 0.22, "N" => 0, _ => null };

    /// <summary>CVSS 3.1's Roundup: the smallest one-decimal number not below the input, free of float error.</summary>
    private static double RoundUp(double value)
    {
        var scaled = (long)Math.Round(value * 100000);
        return scaled % 10000 == 0 ? scaled / 100000.0 : (Math.Floor(scaled / 10000.0) + 1) / 10.0;
    }
}
