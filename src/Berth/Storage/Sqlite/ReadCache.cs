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
/// <see cref="MaxAge"/>, which bounds how late such a change shows. The cache holds at most <see cref="Capacity"/>
/// answers and starts over when full.
/// </remarks>
internal sealed class ReadCache<TKey, TValue>(SqliteDatabase database, TimeSpan maxAge) where TKey : notnull
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly long _maxAgeMilliseconds = (long)maxAge.TotalMilliseconds;

    public TimeSpan MaxAge => maxAge;

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
        if (_maxAgeMilliseconds > 0)
        {
            if (_entries.Count >= Capacity)
            {
                _entries.Clear();
            }

            _entries[key] = new Entry(generation, now, value);
        }

        return value;
    }

    private sealed record Entry(long Generation, long ReadAt, TValue Value);
}
