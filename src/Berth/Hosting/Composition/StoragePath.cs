using Microsoft.Extensions.Options;

namespace Berth.Hosting.Composition;

/// <summary>A backend's path setting: its default under the data dir, and its one-line check.</summary>
/// <param name="key">The full configuration key, named in the error.</param>
/// <param name="path">Reads the setting from the options.</param>
internal sealed class StoragePath<TOptions>(string key, Func<TOptions, string?> path) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        path(options) is { } value && !string.IsNullOrWhiteSpace(value) && !value.Contains('\0', StringComparison.Ordinal)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"berth: invalid value '{path(options)}' for {key}: expected a path");
}

/// <summary>Defaults for path settings.</summary>
internal static class StoragePath
{
    /// <summary>The configured path, or <paramref name="fallback"/> when unset or blank.</summary>
    public static string OrDefault(string? configured, string fallback) =>
        string.IsNullOrWhiteSpace(configured) ? fallback : configured;
}
