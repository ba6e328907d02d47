namespace Berth.Domain.Auth;

/// <summary>
/// A generation that moves on after every committed write to what authorization reads (users, their policies,
/// access keys, repositories and their tags) made through this process's metadata store, before the writer is
/// answered. A decision cached under one generation is stale under the next; writes made by another process (an
/// admin command beside a server) are not seen here, so caches that rely on this also bound the age of an entry.
/// </summary>
public sealed class AccessChanges
{
    private long _generation;

    public long Generation => Volatile.Read(ref _generation);

    public void Advance() => Interlocked.Increment(ref _generation);
}
