namespace Berth.Storage.Sqlite;

/// <summary>
/// The collection lock on SQLite, which has no advisory locks: an exclusive flock on a file beside the database, held
/// by one process at a time (another process's attempt fails at once) and released by the kernel if the holder dies.
/// </summary>
internal sealed class SqliteCollectionLock(SqliteDatabase database)
{
    private readonly string _lockPath = database.Path + ".gc-lock";

    public Task<IAsyncDisposable?> TryTakeAsync(CancellationToken cancellationToken)
    {
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix; a second open, in this process or another, fails.
            IAsyncDisposable held = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return Task.FromResult<IAsyncDisposable?>(held);
        }
        catch (IOException)
        {
            return Task.FromResult<IAsyncDisposable?>(null);
        }
    }
}
