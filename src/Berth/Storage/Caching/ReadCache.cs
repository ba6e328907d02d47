using System.Collections.Concurrent;
using Berth.Diagnostics.Metrics;

namespace Berth.Storage.Caching;

/// <summary>
/// Answers to hot reads (manifests, tag pages) kept in memory while the store is unchanged, so a pull that repeats
/// skips the database altogether: with SQLite its read transaction alone cost about as much as the rest of the request
/// (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// An entry is valid while the <see cref="IChangeSignal"/> still has the generation read before the entry was read
/// from the store (<see cref="TryGet"/> hands out that stamp, <see cref="Add"/> keeps it). Entries also expire after
/// the maximum age given, which bounds how late a change the signal cannot see shows. Memory is bounded by
/// <see cref="Capacity"/> entries and a byte budget (manifests may be up to 4 MiB each): an answer larger than a
/// sixteenth of the budget is not kept, and a full cache starts over.
/// </remarks>
/// <param name="name">The <c>cache</c> label of its metrics.</param>
/// <param name="signal"></param>
/// <param name="maxAge"></param>
/// <param name="maxBytes"></param>
/// <param name="weigh"></param>
internal sealed class ReadCache<TKey, TValue>(string name, IChangeSignal signal, TimeSpan maxAge, long maxBytes, Func<TValue, long> weigh)
    where TKey : notnull
{
    private readonly KeyValuePair<string, object?> _label = new("cache", name);

    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly long _maxAgeMilliseconds = (long)maxAge.TotalMilliseconds;
    private long _bytes;

    /// <summary>About how many bytes the kept answers hold (what the weigh function says).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    public int Count => _entries.Count;

    /// <summary>
    /// The kept answer for <paramref name="key"/> when still valid; otherwise false, with the stamp to
    /// <see cref="Add"/> the answer the caller then reads from the store under.
    /// </summary>
    public bool TryGet(TKey key, out TValue value, out ReadStamp stamp)
    {
        // Read before the store: a write that commits meanwhile moves the generation on and voids the entry.
        stamp = new ReadStamp(signal.Generation, Environment.TickCount64);
        if (_entries.TryGetValue(key, out var cached) && cached.Generation == stamp.Generation && stamp.At - cached.ReadAt < _maxAgeMilliseconds)
        {
            value = cached.Value;
            BerthMetrics.CacheHits.Add(1, _label);
            return true;
        }

        value = default!;
        BerthMetrics.CacheMisses.Add(1, _label);
        return false;
    }

    /// <summary>Keeps an answer read from the store after <see cref="TryGet"/> handed out <paramref name="stamp"/>.</summary>
    public void Add(TKey key, ReadStamp stamp, TValue value)
    {
        var weight = weigh(value);
        if (_maxAgeMilliseconds <= 0 || weight > maxBytes / 16)
        {
            return;
        }

        if (_entries.Count >= Capacity || Bytes + weight > maxBytes)
        {
            // Starting over is crude but keeps the bound without bookkeeping per entry; the hot entries come back
            // on their next read.
            _entries.Clear();
            BerthMetrics.CacheSize.Add(-Interlocked.Exchange(ref _bytes, 0), _label);
        }

        var entry = new Entry(stamp.Generation, stamp.At, value, weight);
        _entries.AddOrUpdate(key, entry, (_, previous) =>
        {
            Interlocked.Add(ref _bytes, -previous.Weight);
            BerthMetrics.CacheSize.Add(-previous.Weight, _label);
            return entry;
        });
        Interlocked.Add(ref _bytes, weight);
        BerthMetrics.CacheSize.Add(weight, _label);
    }

    /// <summary>The kept answer for <paramref name="key"/>, or <paramref name="read"/>'s, which is then kept.</summary>
    public TValue Get<TState>(TKey key, TState state, Func<TKey, TState, TValue> read)
    {
        if (TryGet(key, out var value, out var stamp))
        {
            return value;
        }

        value = read(key, state);
        Add(key, stamp, value);
        return value;
    }

    private sealed record Entry(long Generation, long ReadAt, TValue Value, long Weight);
}

/// <summary>When an answer was read: the change signal's generation and the tick count, both taken before the read.</summary>
internal readonly record struct ReadStamp(long Generation, long At);
