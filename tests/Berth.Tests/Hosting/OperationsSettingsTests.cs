using Berth.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Hosting;

/// <summary>The TLS, log and metrics settings: bound from every source, refused with one line naming the option.</summary>
public sealed class OperationsSettingsTests
{
    [Fact]
    public void Several_listen_addresses_bind_and_the_public_url_follows_the_TLS_one()
    {
        using var tls = new Support.TempDirectory();
        var (certificate, key) = WriteSelfSigned(tls.Path);
        var options = Bound(new()
        {
            ["Berth:Listen"] = "http://0.0.0.0:5000, https://0.0.0.0:5443",
            ["Berth:TlsCert"] = certificate,
            ["Berth:TlsKey"] = key,
        });

        Assert.Equal(["http://0.0.0.0:5000/", "https://0.0.0.0:5443/"], options.ListenAddresses.Select(a => a.ToString()));
        Assert.Equal("https://localhost:5443", options.PublicUrl);
    }

    [Fact]
    public void An_https_address_without_a_certificate_stops_with_one_line()
    {
        var error = ConfigurationTests.Error(new() { ["Berth:Listen"] = "https://127.0.0.1:5443" });

        Assert.Equal("berth: an https address in --listen needs --tls-cert and --tls-key (PEM files)", error);
    }

    [Fact]
    public void A_certificate_that_does_not_load_stops_with_one_line_naming_both_files()
    {
        using var tls = new Support.TempDirectory();
        var certificate = Path.Combine(tls.Path, "server.crt");
        File.WriteAllText(certificate, "not a certificate");

        var error = ConfigurationTests.Error(new()
        {
            ["Berth:Listen"] = "https://127.0.0.1:5443",
            ["Berth:TlsCert"] = certificate,
            ["Berth:TlsKey"] = certificate,
        });

        Assert.StartsWith($"berth: cannot load --tls-cert {certificate} with --tls-key {certificate}: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Berth:Listen", "ftp://127.0.0.1:21", "--listen")]
    [InlineData("Berth:LogFormat", "xml", "--log-format")]
    [InlineData("Berth:AccessLog", "yes", "--access-log")]
    [InlineData("Berth:Metrics", "sometimes", "--metrics")]
    [InlineData("Berth:Metrics", "http://127.0.0.1", "--metrics")]
    [InlineData("Berth:MetricsMaxRepositories", "-1", "--metrics-max-repositories")]
    public void A_bad_value_names_its_option(string key, string value, string flag)
    {
        var error = ConfigurationTests.Error(new() { [key] = value });

        Assert.StartsWith($"berth: invalid value '{value}' for {flag}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_names_set_the_log_and_metrics_settings()
    {
        var options = Bound(environment: new()
        {
            ["BERTH_LOG_FORMAT"] = "json",
            ["BERTH_ACCESS_LOG"] = "true",
            ["BERTH_METRICS"] = "http://127.0.0.1:9464",
            ["BERTH_METRICS_MAX_REPOSITORIES"] = "7",
        });

        Assert.Equal(LogFormat.Json, options.LogFormat);
        Assert.True(options.AccessLog);
        Assert.Equal(new Uri("http://127.0.0.1:9464"), options.Metrics.Address);
        Assert.Equal(7, options.MetricsMaxRepositories);
    }

    [Fact]
    public void Defaults_log_to_the_console_without_access_lines_and_serve_metrics_everywhere()
    {
        var options = Bound();

        Assert.Equal(LogFormat.Console, options.LogFormat);
        Assert.False(options.AccessLog);
        Assert.Equal(MetricsExposure.OnEveryListener, options.Metrics);
        Assert.Equal(100, options.MetricsMaxRepositories);
        Assert.Null(options.TlsCertificatePath);
    }

    private static BerthOptions Bound(Dictionary<string, string?>? commandLine = null, Dictionary<string, string?>? environment = null)
    {
        var (services, error) = ConfigurationTests.Compose(commandLine, environment);
        Assert.Null(error);
        using (services)
        {
            return services!.GetRequiredService<BerthOptions>();
        }
    }

    private static (string Certificate, string Key) WriteSelfSigned(string directory)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "server.crt");
        var keyPath = Path.Combine(directory, "server.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
