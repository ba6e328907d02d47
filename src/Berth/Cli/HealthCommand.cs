using System.CommandLine;
using System.Net.Security;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>
/// `berth health`: asks the server on this machine whether it answers, for container and systemd health checks that
/// have no curl. Exit 0 when it answers, 1 when it does not.
/// </summary>
public static class HealthCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var settings = new SettingFlags(BerthSettings.Listen);
        var url = new Option<string?>("--url") { Description = "The server's base URL (default: from --listen / BERTH_LISTEN, on 127.0.0.1 when it listens on every address)" };
        var command = new Command("health", "Check that the server on this machine answers (exit 0) or not (exit 1).") { url };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = settings.Load(parseResult);
            var listen = configuration[BerthSettings.Listen.ConfigurationKey] is { Length: > 0 } configured ? configured : BerthOptions.DefaultListen;
            var given = parseResult.GetValue(url) ?? listen;
            if (ProbeBase(given) is not { } baseUri)
            {
                Console.Error.WriteLine($"berth: cannot probe '{given}': expected http://HOST:PORT or https://HOST:PORT");
                return 2;
            }

            var (healthy, line) = await ProbeAsync(baseUri, cancellationToken);
            (healthy ? Console.Out : Console.Error).WriteLine(line);
            return healthy ? 0 : 1;
        });
        return command;
    }

    /// <summary>The URL to probe for a listen address: a wildcard host is reached on the loopback address.</summary>
    public static Uri? ProbeBase(string listen)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(listen);
        }
        catch (FormatException)
        {
            return null;
        }

        if (address.IsUnixPipe || address.Port == 0 || address.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var host = address.Host is "*" or "+" or "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : address.Host;
        return Uri.TryCreate($"{address.Scheme}://{host}:{address.Port}/", UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary>
    /// <c>GET /health/live</c>, or <c>GET /v2/</c> on a server without health endpoints: any answer below 500 other than
    /// 404 means the server is up (/v2/ answers 401 to this anonymous probe in sigv4 mode).
    /// </summary>
    public static async Task<(bool Healthy, string Line)> ProbeAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            // The probe runs beside the server it checks and connects to 127.0.0.1, which a served certificate seldom
            // names; the certificate must still chain to a trusted root.
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None },
        };
        using var http = new HttpClient(handler) { Timeout = Timeout };
        try
        {
            var status = await StatusAsync(http, new Uri(baseUri, "health/live"), cancellationToken);
            if (status == 404)
            {
                status = await StatusAsync(http, new Uri(baseUri, "v2/"), cancellationToken);
            }

            return status is < 500 and not 404
                ? (true, $"berth: healthy ({baseUri} answered {status})")
                : (false, $"berth: unhealthy ({baseUri} answered {status})");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (false, $"berth: unhealthy ({baseUri} did not answer: {e.Message})");
        }
    }

    private static async Task<int> StatusAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return (int)response.StatusCode;
    }
}
