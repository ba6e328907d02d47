using System.Net;
using System.Text.RegularExpressions;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// A registry on a small tmpfs filled to the last byte: pulls go on, writes answer a clean error, and deletes plus
/// garbage collection free space (through the space SQLite keeps in reserve beside the database).
/// </summary>
public sealed class FullDiskTests
{
    private const int MiB = 1024 * 1024;

    [TmpfsFact]
    public async Task On_a_full_disk_pulls_work_writes_fail_cleanly_and_delete_plus_gc_free_space()
    {
        using var disk = Tmpfs.Mount(24 * MiB);
        var reserve = Path.Combine(disk.Path, "berth.db.reserve");
        await using var host = await BerthHost.StartAsync(dataDir: disk.Path);
        Assert.True(File.Exists(reserve), "the reserve is taken when the database opens");
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"full"}""");
        var pusher = new RegistryPusher(host.Client);
        var kept = await pusher.PushImageAsync("full", "kept", "kept");
        await pusher.PushImageAsync("full", "big", "big", layerSizes: Enumerable.Repeat(MiB, 10).ToArray());

        // Fill what is left: the disk is full for every writer, Berth or not.
        using (var filler = new FileStream(Path.Combine(disk.Path, "filler"), FileMode.CreateNew))
        {
            var chunk = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    filler.Write(chunk);
                    filler.Flush(flushToDisk: true);
                }
            }
            catch (IOException)
            {
                // No space left on device: that is the point.
            }
        }

        // Pulls keep working.
        var (status, body, _) = await pusher.GetManifestAsync("full", "kept");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(kept.Manifest, System.Text.Encoding.UTF8.GetString(body));
        using (var blob = await host.Client.GetAsync($"/v2/full/blobs/{kept.Layers[0].Digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        }

        // Writes answer a clean error.
        using (var push = await host.Client.PostAsync($"/v2/full/blobs/uploads/?digest={RegistryPusher.DigestOf(new byte[MiB])}", new ByteArrayContent(new byte[MiB])))
        {
            Assert.Equal(HttpStatusCode.InsufficientStorage, push.StatusCode);
            Assert.Contains("storage is full", await push.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var keys = Berth("keys", "create", "--data-dir", disk.Path, "--account-id", "123456789012");
        Assert.True(keys.ExitCode == 1, keys.ToString());
        Assert.Matches(new Regex("^berth: .*storage is full[^\n]*$"), keys.StandardError.Trim());

        // A delete and a collection free space.
        var deleted = await host.Ecr().OkAsync("BatchDeleteImage", """{"repositoryName":"full","imageIds":[{"imageTag":"big"}]}""");
        Assert.Equal(1, deleted.GetProperty("imageIds").GetArrayLength());
        Assert.Equal(0, deleted.GetProperty("failures").GetArrayLength());

        var gc = Berth("gc", "--data-dir", disk.Path, "--grace-period", "0s");
        Assert.True(gc.ExitCode == 0, gc.ToString());
        var freed = long.Parse(Regex.Match(gc.StandardOutput, @"freed (\d+) bytes").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(freed >= 10L * MiB, gc.ToString());

        // With room again the reserve is taken back and pushes work.
        Assert.True(File.Exists(reserve), "the reserve is taken back once there is room");
        await pusher.PushBlobAsync("full", RegistryPusher.Bytes("after", MiB));
    }

    private static ProcessResult Berth(params string[] arguments) =>
        Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments], null, TimeSpan.FromSeconds(60));

    /// <summary>A tmpfs of a given size, mounted on a fresh folder and unmounted on dispose.</summary>
    private sealed class Tmpfs : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public string Path => _directory.Path;

        public static Tmpfs Mount(long bytes)
        {
            var tmpfs = new Tmpfs();
            var mounted = Tools.Run("mount", ["-t", "tmpfs", "-o", $"size={bytes},mode=0700", "tmpfs", tmpfs.Path], null, TimeSpan.FromSeconds(30));
            Assert.True(mounted.ExitCode == 0, "mount failed: " + mounted);
            return tmpfs;
        }

        public void Dispose()
        {
            Tools.Run("umount", ["-l", Path], null, TimeSpan.FromSeconds(30));
            _directory.Dispose();
        }
    }
}

/// <summary>
/// A fact that mounts a small tmpfs: it needs root and mount(8). It skips with the reason where it cannot, unless
/// BERTH_E2E_REQUIRED=1 (CI, which runs as root), where it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("BERTH_E2E_REQUIRED") == "1")
        {
            return;
        }

        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || Tools.FindOnPath("mount") is null)
        {
            Skip = "needs root on Linux to mount a small tmpfs (set BERTH_E2E_REQUIRED=1 to fail instead)";
        }
    }
}
