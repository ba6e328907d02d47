using System.Security.Cryptography;

namespace Berth.Hosting;

/// <summary>The data dir's signing key, loaded once.</summary>
public sealed record SigningKey(byte[] Bytes);

/// <summary>
/// The data dir's key files (owner-only): the key that signs registry passwords, so tokens survive restarts, and the
/// key that seals secret access keys, kept out of the database so a copy of it alone does not reveal them. Each is 32
/// random bytes, created once, atomically, by whichever process gets there first.
/// </summary>
public static class SigningKeyFile
{
    public const string FileName = "registry-token.key";

    public const string SecretsFileName = "secrets.key";

    public static byte[] LoadOrCreate(string dataDir, string fileName = FileName)
    {
        var path = Path.Combine(dataDir, fileName);
        if (File.Exists(path))
        {
            DataDirectory.RestrictFile(path);
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
