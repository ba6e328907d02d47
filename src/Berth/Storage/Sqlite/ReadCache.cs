using System.Collections.Concurrent;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Answers to hot reads (manifests, tag pages) kept in memory while the database is unchanged, so a pull that repeats
/// skips SQLite altogether: its read transaction alone cost about as much as the rest of the request
/// (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// An entry is valid while <see cref="SqliteDatabase.Generation"/> still has the value read before the entry was read
/// from the database. Every write of this process increments it after committing and before its caller is answered,
/// so reads after a write in this process never see an older answer. Writes by another process on the same data dir
/// (<c>berth lifecycle run</c>, <c>berth gc</c> beside a server) cannot be seen that way; entries also expire after
/// the maximum age given, which bounds how late such a change shows. Memory is bounded by <see cref="Capacity"/>
/// entries and a byte budget (manifests may be up to 4 MiB each): an answer larger than a sixteenth of the budget is
/// not kept, and a full cache starts over.
/// </remarks>
internal sealed class ReadCache<TKey, TValue>(SqliteDatabase database, TimeSpan maxAge, long maxBytes, Func<TValue, long> weigh)
    where TKey : notnull
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly long _maxAgeMilliseconds = (long)maxAge.TotalMilliseconds;
    private long _bytes;

    /// <summary>About how many bytes the kept answers hold (what the weigh function says).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    public int Count => _entries.Count;

    /// <summary>The cached answer for <paramref name="key"/>, or <paramref name="read"/>'s, which is then kept.</summary>
    public TValue Get<TState>(TKey key, TState state, Func<TKey, TState, TValue> read)
    {
        // Read before the database: a write that commits meanwhile moves the generation on and voids the entry.
        var generation = database.Generation;
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(key, out var cached) && cached.Generation == generation && now - cached.ReadAt < _maxAgeMilliseconds)
        {
            return cached.Value;
        }

        var value = read(key, state);
        var weight = weigh(value);
        if (_maxAgeMilliseconds <= 0 || weight > maxBytes / 16)
        {
            return value;
        }

        if (_entries.Count >= Capacity || Bytes + weight > maxBytes)
        {
            // Starting over is crude but keeps the bound without bookkeeping per entry; the hot entries come back
            // on their next read.
            _entries.Clear();
            Interlocked.Exchange(ref _bytes, 0);
        }

        var entry = new Entry(generation, now, value, weight);
        _entries.AddOrUpdate(key, entry, (_, previous) =>
        {
            Interlocked.Add(ref _bytes, -previous.Weight);
            return entry;
        });
        Interlocked.Add(ref _bytes, weight);
        return value;
    }

    private sealed record Entry(long Generation, long ReadAt, TValue Value, long Weight);
}
