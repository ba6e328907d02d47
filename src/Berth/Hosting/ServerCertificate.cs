using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Diagnostics;

namespace Berth.Hosting;

/// <summary>
/// The certificate https listeners serve, read from PEM files and read again when either file changes, so a renewed
/// certificate (certbot, cert-manager) is served to new connections without a restart.
/// </summary>
/// <remarks>
/// The files are looked at (two stats) at most once a second, on a new TLS connection: no watcher to miss a
/// symlink swap, nothing on the path of a request. A pair that does not load (a renewal half written, a key that
/// does not match) keeps the previous certificate and logs one warning per change.
/// </remarks>
public sealed class ServerCertificate
{
    private const long CheckIntervalMilliseconds = 1000;

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly ILogger _logger;
    private readonly Lock _reloading = new();
    private X509Certificate2 _current;
    private (DateTime, long, DateTime, long) _stamp;
    private long _checkedAt;

    public ServerCertificate(string certificatePath, string keyPath, ILogger logger)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _logger = logger;
        _stamp = Stamp();
        _current = Load(certificatePath, keyPath);
        _checkedAt = Environment.TickCount64;
    }

    /// <summary>The certificate to present now; at most once a second, first re-read when its files changed.</summary>
    public X509Certificate2 Current
    {
        get
        {
            var now = Environment.TickCount64;
            if (now - Volatile.Read(ref _checkedAt) >= CheckIntervalMilliseconds)
            {
                Refresh(now);
            }

            return Volatile.Read(ref _current);
        }
    }

    /// <summary>Null when every https listener has a loadable certificate and key; otherwise the one-line error.</summary>
    public static string? Check(BerthOptions options)
    {
        var tls = false;
        foreach (var address in options.ListenAddresses)
        {
            tls |= address.Scheme == Uri.UriSchemeHttps;
        }

        if (!tls)
        {
            return null;
        }

        if (options.TlsCertificatePath is null || options.TlsKeyPath is null)
        {
            return "berth: an https address in --listen needs --tls-cert and --tls-key (PEM files)";
        }

        try
        {
            using var certificate = Load(options.TlsCertificatePath, options.TlsKeyPath);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return $"berth: cannot load --tls-cert {options.TlsCertificatePath} with --tls-key {options.TlsKeyPath}: {ex.Message}";
        }
    }

    private static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // A key read from PEM is ephemeral; exported once and read back it is one TLS can use on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private void Refresh(long now)
    {
        // One connection re-reads; others meanwhile get the certificate they would have got a moment ago.
        if (!_reloading.TryEnter())
        {
            return;
        }

        try
        {
            Volatile.Write(ref _checkedAt, now);
            var stamp = Stamp();
            if (stamp == _stamp)
            {
                return;
            }

            _stamp = stamp;
            try
            {
                // The previous certificate is left to the collector: a handshake may still be using it.
                Volatile.Write(ref _current, Load(_certificatePath, _keyPath));
                _logger.TlsCertificateReloaded(_certificatePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                _logger.TlsCertificateReloadFailed(_certificatePath, ex.Message);
            }
        }
        finally
        {
            _reloading.Exit();
        }
    }

    private (DateTime, long, DateTime, long) Stamp()
    {
        var certificate = new FileInfo(_certificatePath);
        var key = new FileInfo(_keyPath);
        return (certificate.Exists ? certificate.LastWriteTimeUtc : default, certificate.Exists ? certificate.Length : -1,
            key.Exists ? key.LastWriteTimeUtc : default, key.Exists ? key.Length : -1);
    }
}
