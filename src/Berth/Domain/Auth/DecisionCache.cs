using System.Collections.Concurrent;
using System.Net;

namespace Berth.Domain.Auth;

/// <summary>
/// Authorization decisions remembered for the questions that recur (the same principal pulling the same repository
/// from the same address), each valid while <see cref="AccessChanges"/> still has the generation read before the
/// decision's inputs were, and for at most <see cref="MaxAge"/>, which bounds how long a change made by another
/// process (an admin command beside the server) goes unseen.
/// </summary>
public sealed class DecisionCache
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    // Enough for every principal × action × repository a busy registry sees within a second; past it, starting
    // over costs a few evaluations and keeps memory bounded whatever callers send.
    private const int MaxEntries = 16_384;

    private readonly ConcurrentDictionary<Key, Entry> _entries = new();

    /// <summary>
    /// The key a request is cached under, or null when it must be decided afresh: requests that set or name tags are
    /// writes whose facts differ each time.
    /// </summary>
    public static Key? KeyOf(AuthorizationRequest request) =>
        request.RequestTags is null && request.TagKeys is null
            ? new Key(request.Principal.Arn, request.Action, request.Resource.Arn, request.SourceIp, request.SecureTransport)
            : null;

    public bool TryGet(Key key, long generation, DateTimeOffset now, out AuthorizationDecision decision)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Generation == generation && entry.Stored <= now && now - entry.Stored < MaxAge)
        {
            decision = entry.Decision;
            return true;
        }

        decision = default;
        return false;
    }

    /// <summary>Remembers a decision made from inputs read at <paramref name="generation"/> or later.</summary>
    public void Set(Key key, long generation, DateTimeOffset now, AuthorizationDecision decision)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(decision, generation, now);
    }

    /// <summary>Everything a cached decision may depend on besides the stored policies, keys and tags.</summary>
    public readonly record struct Key(string PrincipalArn, string Action, string ResourceArn, IPAddress? SourceIp, bool SecureTransport);

    private readonly record struct Entry(AuthorizationDecision Decision, long Generation, DateTimeOffset Stored);
}
