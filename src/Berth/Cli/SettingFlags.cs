using System.CommandLine;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>
/// A command's flags for settings declared in <see cref="BerthSettings"/>, and the bridge from what was typed to the
/// configuration every command composes its services from.
/// </summary>
public sealed class SettingFlags
{
    private readonly (Option<string?> Option, Setting Setting)[] _options;

    public SettingFlags(params Setting[] settings)
    {
        _options = new (Option<string?>, Setting)[settings.Length];
        for (var i = 0; i < settings.Length; i++)
        {
            _options[i] = (new Option<string?>("--" + settings[i].Flag) { Description = settings[i].Help }, settings[i]);
        }
    }

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var (option, _) in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Loads the configuration once, with the flags given on the command line winning over every other source.</summary>
    public IConfigurationRoot Load(ParseResult parseResult)
    {
        var given = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (option, setting) in _options)
        {
            if (parseResult.GetValue(option) is { } value)
            {
                given[setting.ConfigurationKey] = value;
            }
        }

        return BerthConfiguration.Load(commandLine: given);
    }
}
