using System.Collections.Concurrent;
using System.Security.Cryptography;
using Berth.Domain.Auth;

namespace Berth.WebConsole;

/// <summary>
/// The console's sessions, held in this process: a random id in an HttpOnly cookie names one. A session ends after an
/// hour without a request, twelve hours after sign-in, or at sign-out. A restart signs everyone out, and on several
/// nodes a browser must reach the node that signed it in (sticky routing).
/// </summary>
public sealed class ConsoleSessions(TimeProvider time)
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(1);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public ConsoleSession Start(Principal principal, string? accessKeyId, string region)
    {
        var now = time.GetUtcNow();
        Prune(now);
        var session = new ConsoleSession(NewToken(), NewToken(), principal, accessKeyId, region, now);
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session <paramref name="id"/> names, its idle clock restarted; null when unknown or expired.</summary>
    public ConsoleSession? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (IsExpired(session, now))
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        session.LastSeenAt = now;
        return session;
    }

    /// <summary>When the session ends if nothing more happens.</summary>
    public static DateTimeOffset ExpiresAt(ConsoleSession session)
    {
        var idle = session.LastSeenAt + IdleTimeout;
        var max = session.CreatedAt + MaxLifetime;
        return idle < max ? idle : max;
    }

    public void End(string id) => _sessions.TryRemove(id, out _);

    private static bool IsExpired(ConsoleSession session, DateTimeOffset now) => now >= ExpiresAt(session);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, session) in _sessions)
        {
            if (IsExpired(session, now))
            {
                _sessions.TryRemove(id, out _);
            }
        }
    }

    /// <summary>256 random bits, URL-safe base64.</summary>
    private static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
