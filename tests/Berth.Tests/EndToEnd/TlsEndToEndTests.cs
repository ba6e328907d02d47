using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>The real server on https with a certificate from a test CA, which every client trusts; nothing skips verification.</summary>
public sealed class TlsEndToEndTests
{
    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public async Task Skopeo_and_the_aws_CLI_push_and_pull_over_TLS_trusting_the_test_CA()
    {
        using var directory = new TempDirectory();
        using var certificates = new TestCertificates(Path.Combine(directory.Path, "tls"));
        certificates.IssueServer("berth-tls-test");
        await using var server = await ServerProcess.StartTlsAsync(Path.Combine(directory.Path, "data"), "sigv4", _ =>
            ["--tls-cert", certificates.ServerCertificatePath, "--tls-key", certificates.ServerKeyPath]);
        var (keyId, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, keyId, secret);

        var created = aws.Ok("create-repository", "--repository-name", "secure/app", "--ca-bundle", certificates.CaPath);
        // Derived from the TLS listener, so the address handed to clients is https too.
        Assert.StartsWith($"127.0.0.1:{server.Port}/", created.GetProperty("repository").GetProperty("repositoryUri").GetString(), StringComparison.Ordinal);
        var password = aws.Run("get-login-password", "--ca-bundle", certificates.CaPath);
        Assert.True(password.ExitCode == 0, password.ToString());
        var credentials = "AWS:" + password.StandardOutput.Trim();

        using var skopeo = new Skopeo();
        var layout = new OciLayoutBuilder(Path.Combine(directory.Path, "layout"));
        var image = layout.AddImage("v1", ImageFlavor.Oci);
        var reference = $"docker://{server.Registry}/secure/app:v1";
        Skopeo.Ok(skopeo.Run("copy", "--dest-cert-dir", certificates.CertDirectory, "--dest-creds", credentials, layout.Source("v1", ImageFlavor.Oci), reference));
        var pulled = skopeo.NewDirectory("pulled");
        Skopeo.Ok(skopeo.Run("copy", "--src-cert-dir", certificates.CertDirectory, "--src-creds", credentials, reference, "dir:" + pulled));
        // skopeo's dir: layout names the config and layers by digest (the manifest is manifest.json).
        foreach (var digest in image.LayerDigests.Append(image.ConfigDigest))
        {
            Assert.True(File.Exists(Path.Combine(pulled, digest[(digest.IndexOf(':') + 1)..])), $"{digest} was not pulled");
        }

        // Without the CA, the same pull is refused by the client: the certificate really is checked.
        Skopeo.Fails(skopeo.Run("copy", "--src-creds", credentials, reference, "dir:" + skopeo.NewDirectory("untrusted")), "certificate");

        var images = aws.Ok("describe-images", "--repository-name", "secure/app", "--ca-bundle", certificates.CaPath);
        Assert.Equal(image.Digest, images.GetProperty("imageDetails")[0].GetProperty("imageDigest").GetString());
    }

    [E2EFact(Tools.Skopeo)]
    public async Task The_TLS_listener_speaks_HTTP2_when_offered_and_HTTP1_otherwise()
    {
        using var directory = new TempDirectory();
        using var certificates = new TestCertificates(Path.Combine(directory.Path, "tls"));
        certificates.IssueServer("berth-alpn-test");
        await using var server = await ServerProcess.StartTlsAsync(Path.Combine(directory.Path, "data"), "none", _ =>
            ["--tls-cert", certificates.ServerCertificatePath, "--tls-key", certificates.ServerKeyPath]);

        using var http2 = certificates.Client(http2: true);
        using var answer2 = await http2.GetAsync(server.Endpoint + "/v2/");
        Assert.Equal(HttpStatusCode.OK, answer2.StatusCode);
        Assert.Equal(HttpVersion.Version20, answer2.Version);

        using var http1 = certificates.Client();
        using var answer1 = await http1.GetAsync(server.Endpoint + "/v2/");
        Assert.Equal(HttpVersion.Version11, answer1.Version);
    }

    [E2EFact(Tools.Skopeo)]
    public async Task A_replaced_certificate_is_served_to_new_connections_without_a_restart()
    {
        using var directory = new TempDirectory();
        using var certificates = new TestCertificates(Path.Combine(directory.Path, "tls"));
        var first = certificates.IssueServer("berth-first");
        await using var server = await ServerProcess.StartTlsAsync(Path.Combine(directory.Path, "data"), "none", _ =>
            ["--tls-cert", certificates.ServerCertificatePath, "--tls-key", certificates.ServerKeyPath]);
        Assert.Equal(first.Thumbprint, await ServedThumbprintAsync(certificates, server));

        var second = certificates.IssueServer("berth-second");
        // The files are looked at most once a second.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string served;
        do
        {
            await Task.Delay(300);
            served = await ServedThumbprintAsync(certificates, server);
        }
        while (served != second.Thumbprint && DateTime.UtcNow < deadline);

        Assert.Equal(second.Thumbprint, served);
        Assert.True(server.IsRunning);
        Assert.Contains("reloaded", server.Output, StringComparison.Ordinal);
    }

    [E2EFact(Tools.Podman, Tools.Aws)]
    public async Task Podman_pushes_and_pulls_over_TLS_trusting_the_test_CA()
    {
        using var directory = new TempDirectory();
        using var certificates = new TestCertificates(Path.Combine(directory.Path, "tls"));
        certificates.IssueServer("berth-podman-test");
        await using var server = await ServerProcess.StartTlsAsync(Path.Combine(directory.Path, "data"), "sigv4", _ =>
            ["--tls-cert", certificates.ServerCertificatePath, "--tls-key", certificates.ServerKeyPath]);
        var (keyId, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, keyId, secret);
        aws.Ok("create-repository", "--repository-name", "podman/app", "--ca-bundle", certificates.CaPath);
        var password = aws.Run("get-login-password", "--ca-bundle", certificates.CaPath);
        Assert.True(password.ExitCode == 0, password.ToString());
        var credentials = "AWS:" + password.StandardOutput.Trim();
        var layout = new OciLayoutBuilder(Path.Combine(directory.Path, "layout"));
        layout.AddImage("v1", ImageFlavor.Oci);
        var environment = new Dictionary<string, string> { ["HOME"] = directory.Path, ["XDG_RUNTIME_DIR"] = Path.Combine(directory.Path, "run") };
        // Podman pushes only images in its own store, so the layout is first pulled into a store of this test's own
        // (vfs: no overlay mounts needed), pushed from there, removed, and pulled back over TLS.
        string[] store = ["--root", Path.Combine(directory.Path, "storage"), "--runroot", Path.Combine(directory.Path, "run"), "--storage-driver", "vfs"];
        var reference = $"{server.Registry}/podman/app:v1";
        PodmanOk([.. store, "pull", layout.Source("v1", ImageFlavor.Oci)]);
        var local = PodmanOk([.. store, "images", "--quiet"]).Trim();
        PodmanOk([.. store, "tag", local, reference]);
        PodmanOk([.. store, "push", "--cert-dir", certificates.CertDirectory, "--creds", credentials, reference]);
        PodmanOk([.. store, "rmi", "--all", "--force"]);
        PodmanOk([.. store, "pull", "--cert-dir", certificates.CertDirectory, "--creds", credentials, reference]);
        var pulled = PodmanOk([.. store, "images", "--format", "{{.Repository}}:{{.Tag}}"]);
        Assert.Contains($"{server.Registry}/podman/app:v1", pulled, StringComparison.Ordinal);

        string PodmanOk(string[] arguments)
        {
            var run = Tools.Run("podman", arguments, environment, TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, run.ToString());
            return run.StandardOutput;
        }
    }

    /// <summary>The thumbprint of the certificate a new connection is served.</summary>
    private static async Task<string> ServedThumbprintAsync(TestCertificates certificates, ServerProcess server)
    {
        X509Certificate2? served = null;
        using var client = certificates.Client(certificate => served = certificate);
        using var answer = await client.GetAsync(server.Endpoint + "/v2/");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using (served)
        {
            return served!.Thumbprint;
        }
    }
}
