using System.Net;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>The real server driven by skopeo over /v2/, with images built on the fly, as a user would push and pull.</summary>
public sealed class SkopeoTests(OpenRegistryFixture registry) : IClassFixture<OpenRegistryFixture>
{
    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public void Oci_image_pushes_and_pulls_back_with_every_digest_unchanged() => SinglePlatformRoundTrip(ImageFlavor.Oci);

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public void Docker_image_pushes_and_pulls_back_with_every_digest_unchanged() => SinglePlatformRoundTrip(ImageFlavor.Docker);

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public void Oci_index_copies_with_all_platforms_and_pulls_back_unchanged() => MultiPlatformRoundTrip(ImageFlavor.Oci);

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public void Docker_manifest_list_copies_with_all_platforms_and_pulls_back_unchanged() => MultiPlatformRoundTrip(ImageFlavor.Docker);

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public void Copy_between_repositories_mounts_the_layers_and_the_copy_stands_alone()
    {
        using var scene = Scene.On(registry.Server, "copy-a", "copy-b");
        var image = scene.Layout.AddImage("v1", ImageFlavor.Oci, layers: 3);
        var a = scene.Image("copy-a:v1");
        var b = scene.Image("copy-b:v1");
        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("v1", ImageFlavor.Oci), a));

        var copied = Skopeo.Ok(scene.Skopeo.Copy(a, b, "--preserve-digests", "--debug")).StandardError;

        // Every layer was linked by a cross-repository mount (201), and no upload of a layer was completed.
        Assert.Equal(image.LayerDigests.Count, CountOf(copied, "mount OK"));
        foreach (var layer in image.LayerDigests)
        {
            Assert.DoesNotContain("?digest=" + Uri.EscapeDataString(layer), copied, StringComparison.Ordinal);
        }

        // The mount linked the blobs into copy-b, so it serves the image after copy-a's is gone.
        Skopeo.Ok(scene.Skopeo.Delete(scene.Image($"copy-a@{image.Digest}")));
        Assert.Equal(image.Digest, scene.Skopeo.ManifestDigest(b));
        AssertSameContent(image.Digest, image.AllDigests, scene.Pull(b, ImageFlavor.Oci));
    }

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public void Image_pulls_by_digest_and_an_unknown_digest_is_manifest_unknown()
    {
        using var scene = Scene.On(registry.Server, "by-digest");
        var image = scene.Layout.AddImage("v1", ImageFlavor.Docker);
        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("v1", ImageFlavor.Docker), scene.Image("by-digest:v1")));

        var byDigest = scene.Image($"by-digest@{image.Digest}");
        Assert.Equal(image.Digest, scene.Skopeo.ManifestDigest(byDigest));
        AssertSameContent(image.Digest, image.AllDigests, scene.Pull(byDigest, ImageFlavor.Docker));

        var unknown = OciLayoutBuilder.Sha256("not pushed"u8);
        Skopeo.Fails(scene.Skopeo.InspectRaw(scene.Image($"by-digest@{unknown}")), "manifest unknown");
    }

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public void Deleted_image_no_longer_pulls_by_digest_or_tag()
    {
        using var scene = Scene.On(registry.Server, "deleting");
        var image = scene.Layout.AddImage("v1", ImageFlavor.Oci);
        var kept = scene.Layout.AddImage("kept", ImageFlavor.Oci);
        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("v1", ImageFlavor.Oci), scene.Image("deleting:v1")));
        Skopeo.Ok(scene.Skopeo.Copy(scene.Image("deleting:v1"), scene.Image("deleting:v1-alias")));
        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("kept", ImageFlavor.Oci), scene.Image("deleting:kept")));

        Skopeo.Ok(scene.Skopeo.Delete(scene.Image($"deleting@{image.Digest}")));

        Skopeo.Fails(scene.Skopeo.InspectRaw(scene.Image($"deleting@{image.Digest}")), "manifest unknown");
        Skopeo.Fails(scene.Skopeo.InspectRaw(scene.Image("deleting:v1")), "manifest unknown");
        Skopeo.Fails(scene.Skopeo.Copy(scene.Image("deleting:v1-alias"), $"dir:{scene.Skopeo.NewDirectory("gone")}"), "manifest unknown");
        Assert.Equal(["kept"], scene.Skopeo.Tags(scene.Image("deleting")));
        Assert.Equal(kept.Digest, scene.Skopeo.ManifestDigest(scene.Image("deleting:kept")));
        Skopeo.Fails(scene.Skopeo.Delete(scene.Image($"deleting@{image.Digest}")), "may not exist", "manifest unknown");
    }

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public void List_tags_shows_every_pushed_tag_and_a_missing_repository_is_not_found()
    {
        using var scene = Scene.On(registry.Server, "e2e/tagged");
        scene.Layout.AddImage("v1", ImageFlavor.Oci);
        scene.Layout.AddImage("other", ImageFlavor.Docker);
        Assert.Empty(scene.Skopeo.Tags(scene.Image("e2e/tagged")));

        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("v1", ImageFlavor.Oci), scene.Image("e2e/tagged:v1")));
        Skopeo.Ok(scene.Skopeo.Copy(scene.Image("e2e/tagged:v1"), scene.Image("e2e/tagged:v2")));
        Skopeo.Ok(scene.Skopeo.Copy(scene.Image("e2e/tagged:v1"), scene.Image("e2e/tagged:latest")));
        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("other", ImageFlavor.Docker), scene.Image("e2e/tagged:other")));

        Assert.Equal(["latest", "other", "v1", "v2"], scene.Skopeo.Tags(scene.Image("e2e/tagged")));
        Skopeo.Fails(scene.Skopeo.ListTags(scene.Image("e2e/missing")), "404", "name unknown");
    }

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public async Task With_sigv4_auth_only_the_password_from_get_login_password_pushes_and_pulls()
    {
        using var data = new TempDirectory();
        using var work = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, keyId, secret);
        var creating = Task.Run(() => aws.Ok("create-repository", "--repository-name", "e2e/private"));
        var otherRegion = Task.Run(() => Password(new AwsCli(server.Endpoint, keyId, secret, region: "eu-west-1")));
        var password = Password(aws);
        await creating;

        var layout = new OciLayoutBuilder(work.Path);
        var image = layout.AddImage("v1", ImageFlavor.Oci);
        var source = layout.Source("v1", ImageFlavor.Oci);
        var target = $"docker://{server.Registry}/e2e/private:v1";

        using var anonymous = new Skopeo();
        Skopeo.Fails(anonymous.Copy(source, target), "unauthorized");
        using var forged = new Skopeo(Tamper(password));
        Skopeo.Fails(forged.Copy(source, target), "unauthorized");

        using var skopeo = new Skopeo(password);
        Skopeo.Ok(skopeo.Copy(source, target, "--preserve-digests"));
        Assert.Equal(image.Digest, skopeo.ManifestDigest(target));
        Assert.Equal(["v1"], skopeo.Tags($"docker://{server.Registry}/e2e/private"));
        var pulled = skopeo.NewDirectory("pulled");
        Skopeo.Ok(skopeo.Copy(target, $"dir:{pulled}", "--preserve-digests"));
        AssertSameContent(image.Digest, image.AllDigests, PulledImage.FromDir(pulled));

        Skopeo.Fails(anonymous.InspectRaw(target), "unauthorized");
        Skopeo.Fails(forged.InspectRaw(target), "unauthorized");

        // A password names its account and region: one for eu-west-1 reaches that region's registry, which lacks the repository.
        using var elsewhere = new Skopeo(await otherRegion);
        Skopeo.Fails(elsewhere.Copy(source, target), "name unknown");
        Skopeo.Fails(elsewhere.InspectRaw(target), "name unknown");

        // The usual flow: skopeo login stores the password in the auth file, which later commands use.
        Skopeo.Fails(anonymous.Run("login", "--tls-verify=false", "--username", "AWS", "--password", Tamper(password), server.Registry), "invalid username/password");
        Skopeo.Ok(anonymous.Run("login", "--tls-verify=false", "--username", "AWS", "--password", password, server.Registry));
        Assert.Equal(image.Digest, anonymous.ManifestDigest(target));
    }

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public void Immutable_tag_refuses_a_different_image_and_keeps_the_first()
    {
        using var scene = Scene.On(registry.Server);
        scene.Aws.Ok("create-repository", "--repository-name", "e2e/immutable", "--image-tag-mutability", "IMMUTABLE");
        var first = scene.Layout.AddImage("first", ImageFlavor.Oci);
        var second = scene.Layout.AddImage("second", ImageFlavor.Oci);
        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("first", ImageFlavor.Oci), scene.Image("e2e/immutable:v1")));

        var refused = Skopeo.Fails(
            scene.Skopeo.Copy(scene.Layout.Source("second", ImageFlavor.Oci), scene.Image("e2e/immutable:v1")),
            "tag invalid");
        Assert.Contains("The image tag 'v1' already exists in the 'e2e/immutable' repository and cannot be overwritten because the tag is immutable", refused, StringComparison.Ordinal);

        Assert.Equal(first.Digest, scene.Skopeo.ManifestDigest(scene.Image("e2e/immutable:v1")));
        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("second", ImageFlavor.Oci), scene.Image("e2e/immutable:v2")));
        Assert.Equal(second.Digest, scene.Skopeo.ManifestDigest(scene.Image("e2e/immutable:v2")));
    }

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public async Task Push_killed_mid_upload_leaves_nothing_visible_and_the_retry_succeeds()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        using var scene = Scene.On(server);
        var building = Task.Run(() => scene.Layout.AddImage("big", ImageFlavor.Oci, layers: 1, bytesPerLayer: 64 * 1024 * 1024));
        scene.Aws.Ok("create-repository", "--repository-name", "e2e/crash");
        var image = await building;
        var layer = image.LayerDigests[0];
        var source = scene.Layout.Source("big", ImageFlavor.Oci);
        var target = scene.Image("e2e/crash:v1");

        // The layer becomes a pipe this test feeds, so the server is provably mid-upload when it is killed.
        var blobPath = scene.Layout.BlobPath(layer);
        var held = blobPath + ".held";
        File.Move(blobPath, held);
        Assert.Equal(0, Tools.Run("mkfifo", [blobPath], null, TimeSpan.FromSeconds(10)).ExitCode);
        var killed = new TaskCompletionSource();
        var feeder = Task.Run(() => FeedHalf(held, blobPath, killed.Task));
        try
        {
            var push = Task.Run(() => scene.Skopeo.Copy(source, target));
            await WaitForUploadBytesAsync(scene.Server.DataDir, push);
            await scene.Server.StopAsync(kill: true);
            killed.SetResult();
            Assert.NotEqual(0, (await push).ExitCode);
        }
        finally
        {
            killed.TrySetResult();
            Unblock(blobPath, feeder);
            await feeder;
        }

        await scene.Server.RestartAsync();

        // Nothing of the killed push is visible: no tag, no manifest, no layer.
        Skopeo.Fails(scene.Skopeo.InspectRaw(target), "manifest unknown");
        Assert.Empty(scene.Skopeo.Tags(scene.Image("e2e/crash")));
        using (var http = new HttpClient())
        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{scene.Server.Endpoint}/v2/e2e/crash/blobs/{layer}")))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        File.Delete(blobPath);
        File.Move(held, blobPath);
        Skopeo.Ok(scene.Skopeo.Copy(source, target, "--preserve-digests"));

        // An acknowledged push survives a SIGKILL straight after it.
        await scene.Server.RestartAsync(kill: true);
        Assert.Equal(image.Digest, scene.Skopeo.ManifestDigest(target));
        AssertSameContent(image.Digest, image.AllDigests, scene.Pull(target, ImageFlavor.Oci));
    }

    private void SinglePlatformRoundTrip(ImageFlavor flavor)
    {
        var repository = "e2e/single-" + flavor.ToString().ToLowerInvariant();
        using var scene = Scene.On(registry.Server);
        var image = scene.Layout.AddImage("v1", flavor, layers: 3);
        var source = scene.Layout.Source("v1", flavor);
        var target = scene.Image(repository + ":v1");

        Skopeo.Fails(scene.Skopeo.Copy(source, target, "--preserve-digests"), "name unknown");
        scene.Aws.Ok("create-repository", "--repository-name", repository);
        Skopeo.Ok(scene.Skopeo.Copy(source, target, "--preserve-digests"));

        Assert.Equal(image.Digest, scene.Skopeo.ManifestDigest(target));
        AssertSameContent(image.Digest, image.AllDigests, scene.Pull(target, flavor));
    }

    private void MultiPlatformRoundTrip(ImageFlavor flavor)
    {
        var repository = "e2e/multi-" + flavor.ToString().ToLowerInvariant();
        using var scene = Scene.On(registry.Server, repository);
        var index = scene.Layout.AddMultiPlatform("multi", flavor);
        var target = scene.Image(repository + ":v1");

        Skopeo.Ok(scene.Skopeo.Copy(scene.Layout.Source("multi", flavor), target, "--all", "--preserve-digests"));

        Assert.Equal(index.Digest, scene.Skopeo.ManifestDigest(target));
        foreach (var image in index.Images)
        {
            Assert.Equal(image.Digest, scene.Skopeo.ManifestDigest(scene.Image($"{repository}@{image.Digest}")));
        }

        var all = scene.Skopeo.NewDirectory("all");
        Skopeo.Ok(scene.Skopeo.Copy(target, $"dir:{all}", "--all", "--preserve-digests"));
        AssertSameContent(index.Digest, index.AllDigests, PulledImage.FromDir(all));

        // Without --all, skopeo resolves the index to the platform asked for.
        var arm = index.Images.Single(i => i.Architecture == "arm64");
        var one = scene.Skopeo.NewDirectory("arm64");
        Skopeo.Ok(scene.Skopeo.Copy(target, $"dir:{one}", "--override-arch", "arm64", "--override-os", "linux"));
        AssertSameContent(arm.Digest, arm.AllDigests, PulledImage.FromDir(one));
    }

    private static void AssertSameContent(string digest, IReadOnlySet<string> expected, PulledImage pulled)
    {
        Assert.Equal(digest, pulled.Digest);
        Assert.Equal(expected.Order(StringComparer.Ordinal), pulled.AllDigests.Order(StringComparer.Ordinal));
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Password(AwsCli aws)
    {
        var login = aws.Run("get-login-password");
        Assert.True(login.ExitCode == 0, login.ToString());
        return login.StandardOutput.Trim();
    }

    /// <summary>The password with one character of its signature changed.</summary>
    private static string Tamper(string password)
    {
        var at = password.Length - 10;
        return password[..at] + (password[at] == 'A' ? 'B' : 'A') + password[(at + 1)..];
    }

    /// <summary>Writes the first half of a file into a pipe, then holds the pipe open until <paramref name="release"/>.</summary>
    private static async Task FeedHalf(string file, string pipePath, Task release)
    {
        try
        {
            await using var pipe = new FileStream(pipePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            await using var content = File.OpenRead(file);
            var buffer = new byte[1024 * 1024];
            for (var left = content.Length / 2; left > 0;)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
                await pipe.WriteAsync(buffer.AsMemory(0, read));
                left -= read;
            }

            await release;
        }
        catch (IOException)
        {
            // skopeo closed the pipe first: it gave up on the push, which is what the test waits for.
        }
    }

    /// <summary>Lets a feeder still waiting for a reader open the pipe (an O_RDWR open never blocks), so it can end.</summary>
    private static void Unblock(string pipePath, Task feeder)
    {
        if (!feeder.IsCompleted && File.Exists(pipePath))
        {
            using var reader = new FileStream(pipePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        }
    }

    /// <summary>Waits until the server holds some bytes of an unfinished upload (the filesystem store's uploads/ or staging/).</summary>
    private static async Task WaitForUploadBytesAsync(string dataDir, Task<ProcessResult> push)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(push.IsCompleted, "the push ended before the server received layer bytes: " + (push.IsCompleted ? push.Result : null));
            foreach (var folder in (string[])["uploads", "staging"])
            {
                var directory = new DirectoryInfo(Path.Combine(dataDir, folder));
                if (directory.Exists && directory.EnumerateFiles().Any(f => f.Length > 0))
                {
                    return;
                }
            }

            await Task.Delay(10);
        }

        Assert.Fail("the server received no layer bytes within 60 s");
    }

    /// <summary>A test's view of an open-mode server: its repositories, created with the aws CLI, a skopeo and a builder.</summary>
    private sealed class Scene : IDisposable
    {
        private readonly TempDirectory _work = new();

        private Scene(ServerProcess server)
        {
            Server = server;
            Aws = new AwsCli(server.Endpoint, "AKIAIOSFODNN7EXAMPLE", "not-checked");
            Layout = new OciLayoutBuilder(_work.Path);
        }

        public ServerProcess Server { get; }

        public AwsCli Aws { get; }

        public OciLayoutBuilder Layout { get; }

        public Skopeo Skopeo { get; } = new();

        public static Scene On(ServerProcess server, params string[] repositories)
        {
            var scene = new Scene(server);
            Parallel.ForEach(repositories, repository => scene.Aws.Ok("create-repository", "--repository-name", repository));
            return scene;
        }

        /// <summary>A docker:// reference into this registry.</summary>
        public string Image(string nameAndReference) => $"docker://{Server.Registry}/{nameAndReference}";

        /// <summary>Pulls to an oci: layout (OCI media types) or a dir: layout (which keeps Docker media types).</summary>
        public PulledImage Pull(string image, ImageFlavor flavor)
        {
            var path = Skopeo.NewDirectory("pulled");
            if (flavor == ImageFlavor.Oci)
            {
                Skopeo.Ok(Skopeo.Copy(image, $"oci:{path}:pulled", "--preserve-digests"));
                return PulledImage.FromOciLayout(path, "pulled");
            }

            Skopeo.Ok(Skopeo.Copy(image, $"dir:{path}", "--preserve-digests"));
            return PulledImage.FromDir(path);
        }

        public void Dispose()
        {
            Skopeo.Dispose();
            _work.Dispose();
        }
    }
}
