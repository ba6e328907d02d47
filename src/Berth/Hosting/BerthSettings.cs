using System.Text.RegularExpressions;
using Berth.Domain;

namespace Berth.Hosting;

/// <summary>
/// Every flat setting, declared once. <c>serve</c> offers each as a flag; configuration and <c>BERTH_*</c> names
/// follow from the flag. A bad value, from wherever it came, yields one line naming the option.
/// </summary>
public static partial class BerthSettings
{
    private const string DurationExpected = "expected a duration such as 30s, 15m, 24h or 7d";

    public static Setting Listen { get; } = new(
        "listen", "Addresses to listen on, comma-separated; https ones need --tls-cert and --tls-key", BerthOptions.DefaultListen,
        "expected http://HOST:PORT or https://HOST:PORT, several separated by commas",
        static (text, options) =>
        {
            var addresses = new List<Uri>();
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/"
                    || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
                {
                    return false;
                }

                addresses.Add(uri);
            }

            if (addresses.Count == 0)
            {
                return false;
            }

            options.Listen = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[0];
            options.ListenAddresses = addresses;
            return true;
        });

    public static Setting DataDir { get; } = new(
        "data-dir", "Folder holding metadata, blobs and keys", BerthOptions.DefaultDataDir, "expected a directory path",
        static (text, options) =>
        {
            if (string.IsNullOrWhiteSpace(text) || text.Contains('\0', StringComparison.Ordinal))
            {
                return false;
            }

            options.DataDir = text;
            return true;
        });

    public static Setting Region { get; } = new(
        "region", "Region used where a request names none", BerthOptions.DefaultRegion,
        "expected an AWS region name such as us-east-1",
        static (text, options) =>
        {
            if (!RegionPattern().IsMatch(text))
            {
                return false;
            }

            options.Region = text;
            return true;
        });

    public static Setting AccountId { get; } = new(
        "account-id", "The default account, 12 digits", BerthOptions.DefaultAccountId, "expected 12 digits",
        static (text, options) =>
        {
            if (!RepositoryArn.IsAccountId(text))
            {
                return false;
            }

            options.AccountId = text;
            return true;
        });

    public static Setting Auth { get; } = new(
        "auth", "sigv4 (every request signed with a known key) or none", "sigv4", "expected sigv4 or none",
        static (text, options) =>
        {
            AuthMode? mode = text.ToLowerInvariant() switch
            {
                "sigv4" => AuthMode.SigV4,
                "none" => AuthMode.None,
                _ => null,
            };
            options.Auth = mode ?? options.Auth;
            return mode is not null;
        });

    public static Setting PublicUrl { get; } = new(
        "public-url", "Registry address in repositoryUri and proxyEndpoint; may hold {account} and {region}", "derived from --listen",
        "expected http(s)://HOST[:PORT] with no path; {account} and {region} may appear in the host",
        static (text, options) =>
        {
            var probe = text.Replace("{account}", "000000000000", StringComparison.Ordinal).Replace("{region}", "us-east-1", StringComparison.Ordinal);
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            {
                return false;
            }

            options.PublicUrl = text.TrimEnd('/');
            return true;
        },
        static options => DerivePublicUrl(PublicListener(options.ListenAddresses)));

    public static Setting SecretsKeyPath { get; } = new(
        "secrets-key-path", "File holding the key that seals secret access keys (owner-only; back it up)", "<data-dir>/secrets.key",
        "expected a file path",
        static (text, options) =>
        {
            if (string.IsNullOrWhiteSpace(text) || text.Contains('\0', StringComparison.Ordinal)
                || text.EndsWith('/') || text.EndsWith(Path.DirectorySeparatorChar))
            {
                return false;
            }

            options.SecretsKeyPath = text;
            return true;
        },
        static options => Path.Combine(options.DataDir, SigningKeyFile.SecretsFileName));

    public static Setting TrustedProxies { get; } = new(
        "trusted-proxies", "Proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For/-Proto policies may believe", "none",
        "expected none, or addresses and CIDR ranges separated by commas, such as 10.0.0.0/8,192.168.1.10",
        static (text, options) =>
        {
            if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                options.TrustedProxies = [];
                return true;
            }

            var networks = new List<System.Net.IPNetwork>();
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
            {
                if (System.Net.IPNetwork.TryParse(part, out var network))
                {
                    networks.Add(network);
                }
                else if (System.Net.IPAddress.TryParse(part, out var address))
                {
                    networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
                }
                else
                {
                    return false;
                }
            }

            options.TrustedProxies = networks;
            return true;
        });

    public static Setting LifecycleInterval { get; } = Duration(
        "lifecycle-interval", "How often lifecycle policies are applied", "24h", static (options, value) => options.LifecycleInterval = value);

    public static Setting LifecyclePreviewLifetime { get; } = Duration(
        "lifecycle-preview-lifetime", "How long a finished lifecycle preview stays readable", "24h",
        static (options, value) => options.LifecyclePreviewLifetime = value);

    public static Setting GcInterval { get; } = Duration(
        "gc-interval", "How often unreferenced blobs are collected", "1h", static (options, value) => options.GcInterval = value);

    public static Setting GcGracePeriod { get; } = Duration(
        "gc-grace-period", "Age an unreferenced blob must reach before it is collected", "1h",
        static (options, value) => options.GcGracePeriod = value, allowZero: true);

    public static Setting UploadMaxAge { get; } = Duration(
        "upload-max-age", "Idle time after which an unfinished upload is purged", "24h", static (options, value) => options.UploadMaxAge = value);

    /// <remarks>
    /// At least a second: the holder renews every third of it, so shorter would turn renewals into a busy loop on the
    /// shared database.
    /// </remarks>
    public static Setting JobLeaseTtl { get; } = new(
        "job-lease-ttl", "How long a background job's lease outlives its node's last renewal, so how soon another node takes the job over", "5m",
        "expected a duration of at least 1s such as 30s or 5m",
        static (text, options) =>
        {
            if (!DurationParser.TryParse(text, out var value) || value < TimeSpan.FromSeconds(1))
            {
                return false;
            }

            options.JobLeaseTtl = value;
            return true;
        });

    /// <summary>All of them, in the order they are bound (public-url's default comes from listen, secrets-key-path's from data-dir).</summary>
    /// <remarks>Built on first use: settings declared in the other part of this class are initialized by then.</remarks>
    public static IReadOnlyList<Setting> All => _all ??=
    [
        Listen, DataDir, Region, AccountId, Auth, PublicUrl, SecretsKeyPath, TrustedProxies,
        LifecycleInterval, LifecyclePreviewLifetime, GcInterval, GcGracePeriod, UploadMaxAge, JobLeaseTtl,
        TlsCert, TlsKey, LogFormat, AccessLog, Metrics, MetricsMaxRepositories,
    ];

    private static IReadOnlyList<Setting>? _all;

    /// <summary>Binds every setting into <paramref name="options"/>, stopping at the first bad one.</summary>
    /// <returns>Null, or the one-line error naming the option.</returns>
    public static string? Bind(IConfiguration configuration, BerthOptions options)
    {
        foreach (var setting in All)
        {
            if (setting.Bind(configuration, options) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static Setting Duration(string flag, string help, string defaultText, Action<BerthOptions, TimeSpan> store, bool allowZero = false) =>
        new(flag, help, defaultText, DurationExpected, (text, options) =>
        {
            if (!DurationParser.TryParse(text, out var value) || (value <= TimeSpan.Zero && !allowZero))
            {
                return false;
            }

            store(options, value);
            return true;
        });

    /// <summary>The listener clients are told about: the first TLS one when there is one, since clients refuse plain HTTP elsewhere.</summary>
    private static Uri PublicListener(IReadOnlyList<Uri> addresses)
    {
        foreach (var address in addresses)
        {
            if (address.Scheme == "https")
            {
                return address;
            }
        }

        return addresses[0];
    }

    /// <summary>A wildcard listen address is no address a client can use, so it becomes localhost.</summary>
    private static string DerivePublicUrl(Uri listen)
    {
        var host = listen.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+" ? "localhost" : listen.Host;
        return $"{listen.Scheme}://{host}:{listen.Port}";
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}
