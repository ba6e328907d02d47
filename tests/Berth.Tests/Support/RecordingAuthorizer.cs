using System.Collections.Concurrent;
using Berth.Domain.Auth;

namespace Berth.Tests.Support;

/// <summary>An authorizer that records every question and answers with a rule the test gives (allow all by default).</summary>
public sealed class RecordingAuthorizer(Func<Principal, string, RegistryResource, AuthorizationDecision>? rule = null) : IAuthorizer
{
    private readonly ConcurrentQueue<(Principal Principal, string Action, RegistryResource Resource)> _calls = new();

    public IReadOnlyList<(Principal Principal, string Action, RegistryResource Resource)> Calls => [.. _calls];

    public void Clear() => _calls.Clear();

    public ValueTask<AuthorizationDecision> AuthorizeAsync(Principal principal, string action, RegistryResource resource, CancellationToken cancellationToken)
    {
        _calls.Enqueue((principal, action, resource));
        return ValueTask.FromResult(rule?.Invoke(principal, action, resource) ?? AuthorizationDecision.Allowed);
    }
}
