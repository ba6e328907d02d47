namespace Berth.Hosting;

/// <summary>Creates the data dir readable by its owner only, since it holds secrets and every blob.</summary>
public static class DataDirectory
{
    public static void Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
