namespace Berth.Storage.Caching;

/// <summary>
/// Tells a read cache when the metadata it copied may have changed: SQLite's write generation today, a database
/// notification (for example PostgreSQL's LISTEN/NOTIFY) for a store shared by several nodes.
/// </summary>
/// <remarks>
/// A cached answer stays valid while <see cref="Generation"/> still has the value read before the answer was read
/// from the store. An implementation must move it on after every committed change that this process's caller can
/// know of, before that caller is answered, so nothing it does next can be answered from older state. Changes it
/// cannot see (another process on the same database) are bounded by the cache's maximum age instead.
/// </remarks>
public interface IChangeSignal
{
    long Generation { get; }
}
