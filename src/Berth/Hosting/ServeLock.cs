namespace Berth.Hosting;

/// <summary>
/// The exclusive lock a server holds on <c>&lt;data&gt;/serve.lock</c> for its lifetime. Two servers on one data dir
/// would each trust their own read cache and upload state, so the second is refused; the admin commands
/// (<c>lifecycle run</c>, <c>gc</c>, <c>keys</c>) do not take it and keep working beside a server. The kernel
/// releases the lock when the process dies, so a crashed server never leaves the data dir locked.
/// </summary>
public sealed class ServeLock : IDisposable
{
    public const string FileName = "serve.lock";

    private readonly FileStream _file;

    private ServeLock(FileStream file) => _file = file;

    /// <exception cref="DataDirectoryInUseException">Another server holds the lock.</exception>
    public static ServeLock Acquire(string dataDir)
    {
        var path = Path.Combine(Path.GetFullPath(dataDir), FileName);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock on Unix) on top of the open file.
            return new ServeLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataDirectoryInUseException(
                $"Another berth server is already serving the data dir {Path.GetDirectoryName(path)} ({path} is locked); stop it or choose another --data-dir.",
                e);
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>A second server was started on a data dir a running server holds.</summary>
public sealed class DataDirectoryInUseException(string message, Exception inner) : Exception(message, inner);
