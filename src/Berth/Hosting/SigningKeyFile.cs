using System.Security.Cryptography;

namespace Berth.Hosting;

/// <summary>
/// The data dir's key files (owner-only): the key that seals secret access keys, kept out of the database so a copy of
/// it alone does not reveal them (32 random bytes, created once, atomically, by whichever process gets there first),
/// and where Berth kept the key that signs registry passwords before it moved into the database
/// (<see cref="SigningKey"/>, which takes it over from this file).
/// </summary>
public static class SigningKeyFile
{
    public const string FileName = "registry-token.key";

    public const string SecretsFileName = "secrets.key";

    /// <summary>The key in the file at <paramref name="path"/>, created owner-only (its folder too, when missing).</summary>
    public static byte[] LoadOrCreateAt(string path)
    {
        if (File.Exists(path))
        {
            DataDirectory.RestrictFile(path);
            return File.ReadAllBytes(path);
        }

        // A folder Berth makes is owner-only; one that exists (a secrets mount) is left as its owner set it.
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && !Directory.Exists(folder))
        {
            DataDirectory.Ensure(folder);
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
