namespace Berth.Hosting;

/// <summary>
/// Configuration sources for settings not given on the command line: appsettings.json (section "Berth") and
/// BERTH_-prefixed environment variables, where BERTH_DATA_DIR and BERTH_DATADIR both set Berth:DataDir.
/// </summary>
public static class BerthConfiguration
{
    public static IConfigurationRoot Load(string? basePath = null, IDictionary<string, string?>? environment = null)
    {
        var fromEnvironment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var variables = environment ?? ReadEnvironment();
        foreach (var (name, value) in variables)
        {
            if (name.StartsWith("BERTH_", StringComparison.OrdinalIgnoreCase) && name.Length > "BERTH_".Length)
            {
                fromEnvironment["Berth:" + name["BERTH_".Length..].Replace("_", string.Empty, StringComparison.Ordinal)] = value;
            }
        }

        return new ConfigurationBuilder()
            .SetBasePath(basePath ?? Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddInMemoryCollection(fromEnvironment)
            .Build();
    }

    private static Dictionary<string, string?> ReadEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }
}
