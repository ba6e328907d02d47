namespace Berth.Hosting;

/// <summary>
/// One flat setting, declared once: its command-line flag, from which its configuration key (<c>Berth:DataDir</c>)
/// and environment name (<c>BERTH_DATA_DIR</c>) follow, its default, its help, and how its text is checked and applied.
/// </summary>
public sealed class Setting
{
    private readonly string _expected;
    private readonly Func<string, BerthOptions, bool> _apply;
    private readonly Func<BerthOptions, string> _default;

    /// <param name="flag">The command-line name without dashes, such as <c>data-dir</c>.</param>
    /// <param name="help">What the setting does, for <c>--help</c>.</param>
    /// <param name="defaultHelp">The default as a user reads it.</param>
    /// <param name="expected">What a valid value looks like, for the one-line error.</param>
    /// <param name="apply">Checks a text and, when valid, stores it in the options; false when invalid.</param>
    /// <param name="defaultValue">The default as text, from the settings applied before; <paramref name="defaultHelp"/> when null.</param>
    public Setting(string flag, string help, string defaultHelp, string expected, Func<string, BerthOptions, bool> apply,
        Func<BerthOptions, string>? defaultValue = null)
    {
        Flag = flag;
        Key = ToKey(flag);
        EnvironmentName = "BERTH_" + flag.Replace('-', '_').ToUpperInvariant();
        Help = $"{help} (default {defaultHelp}; config Berth:{Key}, env {EnvironmentName})";
        _expected = expected;
        _apply = apply;
        _default = defaultValue ?? (_ => defaultHelp);
    }

    /// <summary>The command-line name without dashes, such as <c>data-dir</c>.</summary>
    public string Flag { get; }

    /// <summary>The key under the <c>Berth</c> configuration section, such as <c>DataDir</c>.</summary>
    public string Key { get; }

    public string ConfigurationKey => "Berth:" + Key;

    /// <summary>The legacy flat environment name, such as <c>BERTH_DATA_DIR</c>.</summary>
    public string EnvironmentName { get; }

    /// <summary>The <c>--help</c> line, naming the default, the configuration key and the environment name.</summary>
    public string Help { get; }

    /// <summary>Reads this setting from <paramref name="configuration"/> (an empty value counts as unset) into <paramref name="options"/>.</summary>
    /// <returns>Null, or the one-line error naming the option.</returns>
    public string? Bind(IConfiguration configuration, BerthOptions options)
    {
        var text = configuration[ConfigurationKey] is { Length: > 0 } configured ? configured : _default(options);
        return _apply(text, options) ? null : $"berth: invalid value '{text}' for --{Flag}: {_expected}";
    }

    private static string ToKey(string flag)
    {
        var parts = flag.Split('-');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = char.ToUpperInvariant(parts[i][0]) + parts[i][1..];
        }

        return string.Concat(parts);
    }
}
