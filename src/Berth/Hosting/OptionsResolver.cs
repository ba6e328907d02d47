using System.Text.RegularExpressions;
using Berth.Domain;

namespace Berth.Hosting;

/// <summary>
/// Resolves each setting as command line, then configuration, then default, and validates it; a bad value
/// yields one line naming the option.
/// </summary>
public static partial class OptionsResolver
{
    /// <summary>Command-line values by option name without dashes ("listen", "data-dir", ...); null when not given.</summary>
    public static (BerthOptions? Options, string? Error) Resolve(IReadOnlyDictionary<string, string?> commandLine, IConfiguration configuration)
    {
        string Get(string option, string key, string fallback) =>
            commandLine.TryGetValue(option, out var value) && value is not null
                ? value
                : configuration[$"Berth:{key}"] is { Length: > 0 } configured ? configured : fallback;

        var listen = Get("listen", "Listen", BerthOptions.DefaultListen);
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var listenUri) || listenUri.Scheme != "http"
            || listenUri.AbsolutePath != "/" || listenUri.Query.Length > 0)
        {
            return Fail("--listen", listen, "expected http://HOST:PORT (terminate TLS in a proxy in front of Berth)");
        }

        var dataDir = Get("data-dir", "DataDir", BerthOptions.DefaultDataDir);
        if (string.IsNullOrWhiteSpace(dataDir) || dataDir.Contains('\0', StringComparison.Ordinal))
        {
            return Fail("--data-dir", dataDir, "expected a directory path");
        }

        var region = Get("region", "Region", BerthOptions.DefaultRegion);
        if (!RegionPattern().IsMatch(region))
        {
            return Fail("--region", region, "expected an AWS region name such as us-east-1");
        }

        var accountId = Get("account-id", "AccountId", BerthOptions.DefaultAccountId);
        if (!RepositoryArn.IsAccountId(accountId))
        {
            return Fail("--account-id", accountId, "expected 12 digits");
        }

        var authText = Get("auth", "Auth", "sigv4");
        AuthMode auth;
        switch (authText.ToLowerInvariant())
        {
            case "sigv4":
                auth = AuthMode.SigV4;
                break;
            case "none":
                auth = AuthMode.None;
                break;
            default:
                return Fail("--auth", authText, "expected sigv4 or none");
        }

        var publicUrl = Get("public-url", "PublicUrl", DerivePublicUrl(listenUri));
        var probe = publicUrl.Replace("{account}", "000000000000", StringComparison.Ordinal).Replace("{region}", "us-east-1", StringComparison.Ordinal);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var publicUri) || publicUri.Scheme is not ("http" or "https")
            || publicUri.AbsolutePath != "/" || publicUri.Query.Length > 0)
        {
            return Fail("--public-url", publicUrl, "expected http(s)://HOST[:PORT] with no path; {account} and {region} may appear in the host");
        }

        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var (option, key, fallback) in DurationOptions)
        {
            var text = Get(option, key, fallback);
            if (!DurationParser.TryParse(text, out var duration) || (duration <= TimeSpan.Zero && option != "gc-grace-period"))
            {
                return Fail("--" + option, text, "expected a duration such as 30s, 15m, 24h or 7d");
            }

            durations[option] = duration;
        }

        return (new BerthOptions
        {
            Listen = listen,
            DataDir = dataDir,
            Region = region,
            AccountId = accountId,
            Auth = auth,
            PublicUrl = publicUrl.TrimEnd('/'),
            LifecycleInterval = durations["lifecycle-interval"],
            GcInterval = durations["gc-interval"],
            GcGracePeriod = durations["gc-grace-period"],
            UploadMaxAge = durations["upload-max-age"],
        }, null);
    }

    /// <summary>The background schedules: option, configuration key, default.</summary>
    private static readonly (string Option, string Key, string Default)[] DurationOptions =
    [
        ("lifecycle-interval", "LifecycleInterval", "24h"),
        ("gc-interval", "GcInterval", "1h"),
        ("gc-grace-period", "GcGracePeriod", "1h"),
        ("upload-max-age", "UploadMaxAge", "24h"),
    ];

    /// <summary>A wildcard listen address is no address a client can use, so it becomes localhost.</summary>
    private static string DerivePublicUrl(Uri listen)
    {
        var host = listen.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+" ? "localhost" : listen.Host;
        return $"{listen.Scheme}://{host}:{listen.Port}";
    }

    private static (BerthOptions?, string?) Fail(string option, string value, string expected) =>
        (null, $"berth: invalid value '{value}' for {option}: {expected}");

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}
