using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Tests.EndToEnd;

/// <summary>A test CA and server certificates it signs for 127.0.0.1 and localhost, written as PEM files.</summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(CertDirectory);
        var request = new CertificateRequest("CN=Berth Test CA " + Guid.NewGuid().ToString("N")[..8], _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(CaPath, Authority.ExportCertificatePem());
    }

    public string Directory { get; }

    public X509Certificate2 Authority { get; }

    /// <summary>The CA alone, as <c>ca.crt</c>, the layout skopeo's and podman's <c>--cert-dir</c> read.</summary>
    public string CertDirectory => Path.Combine(Directory, "certs.d");

    public string CaPath => Path.Combine(CertDirectory, "ca.crt");

    public string ServerCertificatePath => Path.Combine(Directory, "server.crt");

    public string ServerKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>Signs a new server certificate named <paramref name="commonName"/> and writes it over the server's files.</summary>
    public X509Certificate2 IssueServer(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var certificate = request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
        // Written beside and renamed over, as a renewal tool does, so the server never reads half a file.
        File.WriteAllText(ServerKeyPath + ".new", key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(ServerCertificatePath + ".new", certificate.ExportCertificatePem());
        File.Move(ServerKeyPath + ".new", ServerKeyPath, overwrite: true);
        File.Move(ServerCertificatePath + ".new", ServerCertificatePath, overwrite: true);
        return certificate;
    }

    /// <summary>An HTTP client that trusts only this CA, reporting the certificate each new connection was served.</summary>
    public HttpClient Client(Action<X509Certificate2>? served = null, bool http2 = false)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            served?.Invoke(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(leaf);
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        if (http2)
        {
            client.DefaultRequestVersion = HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }

    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
    }
}
