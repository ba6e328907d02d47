using System.Collections.Concurrent;
using Berth.Domain.Auth;

namespace Berth.Tests.Support;

/// <summary>An authorizer that records every question and answers with a rule the test gives (allow all by default).</summary>
public sealed class RecordingAuthorizer(Func<Principal, string, RegistryResource, AuthorizationDecision>? rule = null) : IAuthorizer
{
    private readonly ConcurrentQueue<(Principal Principal, string Action, RegistryResource Resource)> _calls = new();

    private readonly ConcurrentQueue<AuthorizationRequest> _requests = new();

    public IReadOnlyList<(Principal Principal, string Action, RegistryResource Resource)> Calls => [.. _calls];

    /// <summary>Every question whole, with the request facts conditions read.</summary>
    public IReadOnlyList<AuthorizationRequest> Requests => [.. _requests];

    public void Clear()
    {
        _calls.Clear();
        _requests.Clear();
    }

    public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        _calls.Enqueue((request.Principal, request.Action, request.Resource));
        _requests.Enqueue(request);
        return ValueTask.FromResult(rule?.Invoke(request.Principal, request.Action, request.Resource) ?? AuthorizationDecision.Allowed);
    }
}
