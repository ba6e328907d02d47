namespace Berth.Hosting;

/// <summary>
/// Where Berth reads its configuration, lowest precedence first: appsettings.json, then <c>BERTH_*</c> environment
/// variables, then the command line. Every command loads it once and composes its services from it.
/// </summary>
/// <remarks>
/// An environment name maps to a key the .NET way, with <c>__</c> between sections
/// (<c>BERTH_STORAGE__METADATA__TYPE</c> is <c>Berth:Storage:Metadata:Type</c>). Within a section single
/// underscores are dropped, so the documented flat names keep working: <c>BERTH_DATA_DIR</c> and <c>BERTH_DATADIR</c>
/// both set <c>Berth:DataDir</c>.
/// </remarks>
public static class BerthConfiguration
{
    private const string Prefix = "BERTH_";

    /// <param name="basePath">Where appsettings.json is looked for; the current directory when null.</param>
    /// <param name="environment">The environment variables; the process's when null.</param>
    /// <param name="commandLine">Values given on the command line, by configuration key (<c>Berth:DataDir</c>).</param>
    public static IConfigurationRoot Load(
        string? basePath = null,
        IDictionary<string, string?>? environment = null,
        IEnumerable<KeyValuePair<string, string?>>? commandLine = null)
    {
        var fromEnvironment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment ?? ReadEnvironment())
        {
            if (ToKey(name) is { } key)
            {
                fromEnvironment[key] = value;
            }
        }

        return new ConfigurationBuilder()
            .SetBasePath(basePath ?? Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddInMemoryCollection(fromEnvironment)
            .AddInMemoryCollection(commandLine ?? [])
            .Build();
    }

    /// <summary>The configuration key a <c>BERTH_*</c> variable sets, or null for any other variable.</summary>
    public static string? ToKey(string variable)
    {
        if (!variable.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || variable.Length == Prefix.Length)
        {
            return null;
        }

        var sections = variable[Prefix.Length..].Split("__");
        for (var i = 0; i < sections.Length; i++)
        {
            sections[i] = sections[i].Replace("_", string.Empty, StringComparison.Ordinal);
        }

        return "Berth:" + string.Join(':', sections);
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
