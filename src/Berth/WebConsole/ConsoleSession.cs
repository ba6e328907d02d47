using Berth.Domain.Auth;

namespace Berth.WebConsole;

/// <summary>
/// One signed-in browser: the principal its access key acts as, the token its state-changing requests must echo
/// (<see cref="CsrfToken"/>), and its clocks.
/// </summary>
public sealed class ConsoleSession(string id, string csrfToken, Principal principal, string? accessKeyId, string region, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public string CsrfToken { get; } = csrfToken;

    public Principal Principal { get; } = principal;

    /// <summary>The key signed in with (null in <c>--auth none</c>); the session ends once it is disabled or deleted.</summary>
    public string? AccessKeyId { get; } = accessKeyId;

    /// <summary>The region the console acts in unless a request names another.</summary>
    public string Region { get; } = region;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>The last request's time, written by the request threads (a torn read only shortens the idle window).</summary>
    public DateTimeOffset LastSeenAt { get; set; } = createdAt;
}
