using System.Collections.Concurrent;

namespace Berth.Diagnostics.Metrics;

/// <summary>
/// The repository label of push and pull series, bounded: the first <c>max</c> repositories seen get their own,
/// every later one shares <see cref="Other"/>, so a registry with many repositories cannot swamp the metrics store.
/// </summary>
public sealed class RepositoryLabels(int max)
{
    /// <summary>No repository can be named this (names start with a letter or digit).</summary>
    public const string Other = "_other";

    private readonly ConcurrentDictionary<string, byte> _named = new(StringComparer.Ordinal);
    private int _count;

    public string Of(string repository)
    {
        if (_named.ContainsKey(repository))
        {
            return repository;
        }

        // The count, not the dictionary's (which takes every lock), decides; a lost race only gives back the slot.
        if (Volatile.Read(ref _count) >= max || Interlocked.Increment(ref _count) > max)
        {
            return Other;
        }

        if (!_named.TryAdd(repository, 0))
        {
            Interlocked.Decrement(ref _count);
        }

        return repository;
    }
}
