using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Berth.Hosting;

/// <summary>
/// Kestrel's listeners from <see cref="BerthOptions"/>: every <c>--listen</c> address, https ones with the
/// <see cref="ServerCertificate"/> and HTTP/1.1 or HTTP/2 as ALPN settles, and the metrics listener when it has its own.
/// </summary>
/// <remarks>
/// Configured once the options are bound and validated (Kestrel reads its options when the server is first resolved,
/// after <see cref="BerthApp.BuildAsync"/> has checked them). <see cref="RejectedRequests"/> wraps each connection
/// inside TLS, where it sees the HTTP bytes it rewrites.
/// </remarks>
internal sealed class Listeners(BerthOptions options, RejectedRequests rejected, ILoggerFactory loggers) : IConfigureOptions<KestrelServerOptions>
{
    private ServerCertificate? _certificate;

    public void Configure(KestrelServerOptions kestrel)
    {
        foreach (var address in options.ListenAddresses)
        {
            Listen(kestrel, address, listen =>
            {
                if (address.Scheme == Uri.UriSchemeHttps)
                {
                    var certificate = Certificate();
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => certificate.Current });
                }
                else
                {
                    // Without TLS there is no ALPN to choose HTTP/2, and clients do not send it in the clear.
                    listen.Protocols = HttpProtocols.Http1;
                }

                listen.Use(rejected.Wrap);
            });
        }

        if (options.Metrics.Address is { } metrics)
        {
            Listen(kestrel, metrics, static listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    /// <summary>The ports the metrics-only listener holds, so the protocol endpoints can refuse it.</summary>
    public static bool IsMetricsOnly(BerthOptions options, HttpContext http) =>
        options.Metrics.Address is { } metrics && http.Connection.LocalPort == metrics.Port;

    private ServerCertificate Certificate() =>
        _certificate ??= new ServerCertificate(options.TlsCertificatePath!, options.TlsKeyPath!, loggers.CreateLogger<ServerCertificate>());

    /// <summary>Binds as Kestrel binds an address string: localhost on both loopbacks, a name or wildcard on every address.</summary>
    private static void Listen(KestrelServerOptions kestrel, Uri address, Action<ListenOptions> configure)
    {
        var host = address.Host.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (IPAddress.TryParse(host, out var ip))
        {
            kestrel.Listen(ip, address.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
    }
}
