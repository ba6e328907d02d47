using Berth.Hosting;
using Berth.Tests.Support;

namespace Berth.Tests.Hosting;

/// <summary>The data dir and the files holding secrets are owner-only, even when they existed with wider modes.</summary>
public sealed class DataDirectoryTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Open = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task An_existing_open_data_dir_and_its_files_become_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var parent = new TempDirectory();
        var data = Path.Combine(parent.Path, "data");
        Directory.CreateDirectory(data, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await (await BerthHost.StartAsync(AuthMode.SigV4, dataDir: data)).DisposeAsync();

        // Loosened by hand (or made by an older Berth): the next start tightens them again.
        File.SetUnixFileMode(data, OwnerOnlyDirectory | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in new[] { "berth.db", SigningKeyFile.SecretsFileName })
        {
            File.SetUnixFileMode(Path.Combine(data, file), Open);
        }

        await using (var second = await BerthHost.StartAsync(AuthMode.SigV4, dataDir: data))
        {
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(data));
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(data, "berth.db")));
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(data, SigningKeyFile.SecretsFileName)));
            foreach (var wal in Directory.GetFiles(data, "berth.db-*"))
            {
                Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(wal));
            }
        }
    }
}
