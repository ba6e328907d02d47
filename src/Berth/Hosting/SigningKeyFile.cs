using System.Security.Cryptography;

namespace Berth.Hosting;

/// <summary>The data dir's signing key, loaded once.</summary>
public sealed record SigningKey(byte[] Bytes);

/// <summary>
/// The key that signs registry passwords, kept in the data dir (owner-only) so tokens survive restarts.
/// Created once, atomically, by whichever process gets there first.
/// </summary>
public static class SigningKeyFile
{
    public const string FileName = "registry-token.key";

    public static byte[] LoadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(RandomNumberGenerator.GetBytes(32));
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; use theirs.
            File.Delete(temp);
        }

        return File.ReadAllBytes(path);
    }
}
