namespace Berth.Hosting;

/// <summary>The settings for running Berth as a service: TLS, logs and metrics.</summary>
public static partial class BerthSettings
{
    public static Setting TlsCert { get; } = new(
        "tls-cert", "PEM certificate (with its chain) served on https listeners; reloaded when the file changes", "none",
        "expected a file path",
        static (text, options) => StorePath(text, path => options.TlsCertificatePath = path));

    public static Setting TlsKey { get; } = new(
        "tls-key", "PEM private key of --tls-cert", "none", "expected a file path",
        static (text, options) => StorePath(text, path => options.TlsKeyPath = path));

    public static Setting LogFormat { get; } = new(
        "log-format", "console (for a terminal) or json (one object per line)", "console", "expected console or json",
        static (text, options) =>
        {
            Hosting.LogFormat? format = text.ToLowerInvariant() switch
            {
                "console" => Hosting.LogFormat.Console,
                "json" => Hosting.LogFormat.Json,
                _ => null,
            };
            options.LogFormat = format ?? options.LogFormat;
            return format is not null;
        });

    public static Setting AccessLog { get; } = new(
        "access-log", "Log one line per request (request id, principal, protocol, operation, status, duration, bytes): true or false", "false",
        "expected true or false",
        static (text, options) =>
        {
            if (!bool.TryParse(text, out var value))
            {
                return false;
            }

            options.AccessLog = value;
            return true;
        });

    public static Setting Metrics { get; } = new(
        "metrics", "Where /metrics is served: on (every listener), off, or http://HOST:PORT (a listener of its own)", "on",
        "expected on, off or http://HOST:PORT",
        static (text, options) =>
        {
            switch (text.ToLowerInvariant())
            {
                case "on":
                    options.Metrics = MetricsExposure.OnEveryListener;
                    return true;
                case "off":
                    options.Metrics = MetricsExposure.Off;
                    return true;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.IsDefaultPort)
            {
                return false;
            }

            options.Metrics = new MetricsExposure(true, uri);
            return true;
        });

    public static Setting MetricsMaxRepositories { get; } = new(
        "metrics-max-repositories", "Repositories with their own push and pull series; later ones are counted as _other", "100",
        "expected a whole number from 0 to 100000",
        static (text, options) =>
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value > 100_000)
            {
                return false;
            }

            options.MetricsMaxRepositories = value;
            return true;
        });

    /// <summary>Stores a file path; <c>none</c> (the default) leaves it unset.</summary>
    private static bool StorePath(string text, Action<string?> store)
    {
        if (text == "none")
        {
            store(null);
            return true;
        }

        if (string.IsNullOrWhiteSpace(text) || text.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        store(text);
        return true;
    }
}
