using Berth.Domain.Auth;

namespace Berth.Hosting;

/// <summary>
/// Where the key that seals secrets comes from: its base64 in <c>Berth:SecretsKey</c> (<c>BERTH_SECRETS_KEY</c>), for
/// nodes handed it by their environment, or else the file at <see cref="BerthOptions.SecretsKeyPath"/>, created on first
/// use. Never the database, so a copy of the database alone does not reveal secrets; never a command-line flag (other
/// users can read a process's arguments), and never written into a message or a log.
/// </summary>
public static class SecretsKey
{
    public const string ConfigurationKey = "Berth:SecretsKey";

    /// <summary>The documented variable; <c>BERTH_SECRETSKEY</c> sets the same key.</summary>
    public const string EnvironmentName = "BERTH_SECRETS_KEY";

    private const int KeySize = 32;

    /// <summary>One line saying what is wrong with the configured key, without quoting it; null when nothing is.</summary>
    public static string? Check(IConfiguration configuration)
    {
        if (configuration[ConfigurationKey] is not { Length: > 0 } text)
        {
            return null;
        }

        if (configuration[BerthSettings.SecretsKeyPath.ConfigurationKey] is { Length: > 0 })
        {
            return $"berth: both {ConfigurationKey} ({EnvironmentName}) and --secrets-key-path are set: give the secrets key one way only";
        }

        return Decode(text) is null
            ? $"berth: invalid value for {ConfigurationKey} ({EnvironmentName}): expected the base64 of {KeySize} bytes, as `openssl rand -base64 32` prints"
            : null;
    }

    /// <summary>The sealer over the configured key, or over the key file (made when missing).</summary>
    /// <exception cref="InvalidOperationException">The configured key is invalid (<see cref="Check"/> reports it first).</exception>
    public static SecretSealer Load(IConfiguration configuration, BerthOptions options)
    {
        if (configuration[ConfigurationKey] is { Length: > 0 } text)
        {
            return new SecretSealer(Decode(text) ?? throw new InvalidOperationException($"{ConfigurationKey} is not a valid key"), $"the secrets key in {ConfigurationKey}");
        }

        var inDataDir = string.Equals(
            Path.GetFullPath(options.SecretsKeyPath), Path.GetFullPath(Path.Combine(options.DataDir, SigningKeyFile.SecretsFileName)), StringComparison.Ordinal);
        return new SecretSealer(
            SigningKeyFile.LoadOrCreateAt(options.SecretsKeyPath),
            inDataDir ? "this data dir's secrets.key" : $"the secrets key file {options.SecretsKeyPath}");
    }

    private static byte[]? Decode(string text)
    {
        var bytes = new byte[KeySize + 1];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var written) && written == KeySize ? bytes[..KeySize] : null;
    }
}
