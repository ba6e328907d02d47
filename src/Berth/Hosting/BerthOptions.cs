namespace Berth.Hosting;

/// <summary>
/// The server's flat settings, bound from configuration (command line, environment, appsettings.json) by
/// <see cref="BerthSettings"/>, where each one is declared once.
/// </summary>
public sealed record BerthOptions
{
    public const string DefaultListen = "http://127.0.0.1:5000";
    public const string DefaultDataDir = "./berth-data";
    public const string DefaultRegion = "us-east-1";
    public const string DefaultAccountId = "000000000000";

    /// <summary>The first address of <see cref="ListenAddresses"/>, as given.</summary>
    public string Listen { get; set; } = DefaultListen;

    /// <summary>Every address to listen on; https ones serve TLS with <see cref="TlsCertificatePath"/>.</summary>
    public IReadOnlyList<Uri> ListenAddresses { get; set; } = [new(DefaultListen)];

    /// <summary>The PEM certificate (chain) served on https listeners; reloaded when the file changes.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>How log lines are written to standard output.</summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Console;

    /// <summary>Whether one line per request is logged (category <c>Berth.Access</c>).</summary>
    public bool AccessLog { get; set; }

    /// <summary>Where <c>/metrics</c> is served: on every listener (the default), nowhere, or on a listener of its own.</summary>
    public MetricsExposure Metrics { get; set; } = MetricsExposure.OnEveryListener;

    /// <summary>How many repositories get their own push and pull series; the others are counted as <c>other</c>.</summary>
    public int MetricsMaxRepositories { get; set; } = 100;

    public string DataDir { get; set; } = DefaultDataDir;

    public string Region { get; set; } = DefaultRegion;

    public string AccountId { get; set; } = DefaultAccountId;

    public AuthMode Auth { get; set; } = AuthMode.SigV4;

    /// <summary>
    /// The file holding the key that seals secret access keys: <c>&lt;data-dir&gt;/secrets.key</c> by default; elsewhere
    /// (another disk, a secrets mount) so a copy of the data dir alone does not reveal the secrets.
    /// </summary>
    public string SecretsKeyPath { get; set; } = Path.Combine(DefaultDataDir, SigningKeyFile.SecretsFileName);

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed for <c>aws:SourceIp</c> and
    /// <c>aws:SecureTransport</c>; empty (the default) believes no forwarding header.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; set; } = [];

    /// <summary>The registry address clients use; may hold {account} and {region} placeholders.</summary>
    public string PublicUrl { get; set; } = DefaultListen;

    /// <summary>How long an upload may sit idle before it is purged.</summary>
    public TimeSpan UploadMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often every repository's lifecycle policy is applied.</summary>
    public TimeSpan LifecycleInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a finished lifecycle preview stays readable before it reports EXPIRED.</summary>
    public TimeSpan LifecyclePreviewLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the online garbage collector runs.</summary>
    public TimeSpan GcInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How old an unreferenced blob must be before it is collected, protecting pushes in flight.</summary>
    public TimeSpan GcGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a background job's lease outlives its holder's last renewal (see <c>Background/JobLease</c>).</summary>
    public TimeSpan JobLeaseTtl { get; set; } = Background.JobLease.DefaultTtl;
}
