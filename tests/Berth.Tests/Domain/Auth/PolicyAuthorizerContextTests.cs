using System.Net;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Domain.Policies;
using Berth.Tests.Storage;
using Berth.Tests.Support;

namespace Berth.Tests.Domain.Auth;

/// <summary>
/// What <see cref="PolicyAuthorizer"/> reads besides the policies: the repository's tags (loaded when a policy reads
/// them), the request's tags, source address and transport; and how long a decision is kept.
/// </summary>
public sealed class PolicyAuthorizerContextTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private const string Region = "us-east-1";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Principal Alice = Principal.User(Account, "alice", "aws");
    private static readonly RepositoryKey Web = new(Account, Region, "web");

    private readonly SqliteStores _stores = new(TimeSpan.FromSeconds(1));
    private readonly FixedTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private IMetadataStore _store = null!;
    private PolicyAuthorizer _authorizer = null!;

    public async Task InitializeAsync()
    {
        _store = _stores.Open();
        await _store.MigrateAsync(None);
        _authorizer = new PolicyAuthorizer(_store, new ResourcePolicyCache(_store, _stores.Changes, _clock), _stores.Changes, _clock);
        Assert.True(await _store.Users.CreateAsync(User.Create(Account, "alice", _clock.GetUtcNow()), None));
        Assert.True(await _store.Repositories.CreateAsync(
            new Repository(Web, _clock.GetUtcNow(), TagMutability.Mutable, [], false, "AES256", null), [new ResourceTag("team", "blue")], None));
    }

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    [Fact]
    public async Task A_resource_tag_condition_follows_a_tag_change_on_the_next_decision()
    {
        await AttachAsync("""{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}}""");
        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:ListImages"));

        await _store.Repositories.UpdateResourceTagsAsync(Web, [new ResourceTag("team", "red")], [], 50, None);
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:ListImages"));

        await _store.Repositories.UpdateResourceTagsAsync(Web, [], ["team"], 50, None);
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:ListImages"));

        // ECR's own spelling of the key reads the same tags.
        await DetachAsync();
        await AttachAsync("""{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"StringEquals":{"ecr:ResourceTag/team":"blue"}}}""");
        await _store.Repositories.UpdateResourceTagsAsync(Web, [new ResourceTag("team", "blue")], [], 50, None);
        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:ListImages"));
    }

    [Fact]
    public async Task Request_tags_and_TagKeys_decide_tagging_calls()
    {
        await AttachAsync("""
            {"Effect":"Allow","Action":["ecr:CreateRepository","ecr:TagResource"],"Resource":"*","Condition":{
              "StringEquals":{"aws:RequestTag/team":"blue"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}},
            {"Effect":"Allow","Action":"ecr:UntagResource","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["scratch"]}}}
            """);

        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:CreateRepository", Tags(("team", "blue"))));
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:CreateRepository", Tags(("team", "red"))));
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:CreateRepository", Tags(("team", "blue"), ("cost", "1"))));
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:CreateRepository"));
        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:TagResource", Tags(("team", "blue"))));
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:TagResource", Tags(("team", "green"))));

        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:UntagResource", request => request with { TagKeys = ["scratch"] }));
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:UntagResource", request => request with { TagKeys = ["scratch", "team"] }));
    }

    [Fact]
    public async Task Source_address_and_transport_conditions_read_the_request()
    {
        await AttachAsync("""
            {"Effect":"Allow","Action":"ecr:ListImages","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}},
            {"Effect":"Allow","Action":"ecr:DescribeImages","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}
            """);

        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:ListImages", From("127.0.0.1")));
        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:ListImages", From("::ffff:127.0.0.9")));
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:ListImages", From("10.1.2.3")));
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:ListImages"));
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:DescribeImages"));
        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:DescribeImages", request => request with { SecureTransport = true }));
    }

    [Fact]
    public async Task A_decision_is_kept_until_a_change_here_or_for_a_second_when_another_process_changed_the_policies()
    {
        await AttachAsync("""{"Effect":"Allow","Action":"ecr:ListImages","Resource":"*"}""");
        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:ListImages"));

        // Another process (an admin command) detaches the policy: this process cannot know until its second is up.
        var other = _stores.OpenAsAnotherProcess();
        Assert.True(await other.Users.DeletePolicyAsync(Account, "alice", "test", None));
        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:ListImages"));
        _clock.Advance(DecisionCache.MaxAge);
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:ListImages"));

        // Through this process's store the change is seen on the very next decision.
        await AttachAsync("""{"Effect":"Allow","Action":"ecr:ListImages","Resource":"*"}""");
        Assert.Equal(AuthorizationDecision.Allowed, await DecideAsync("ecr:ListImages"));
        await _store.AccessKeys.AddAsync(new AccessKey("AKIACONTEXTTEST00001", "s", Account, _clock.GetUtcNow()), None);
        Assert.True(await other.Users.DeletePolicyAsync(Account, "alice", "test", None));
        Assert.Equal(AuthorizationDecision.Denied, await DecideAsync("ecr:ListImages"));
    }

    private static Func<AuthorizationRequest, AuthorizationRequest> Tags(params (string Key, string Value)[] tags) =>
        request => request with
        {
            RequestTags = tags.ToDictionary(tag => tag.Key, tag => tag.Value),
            TagKeys = [.. tags.Select(tag => tag.Key)],
        };

    private static Func<AuthorizationRequest, AuthorizationRequest> From(string address) =>
        request => request with { SourceIp = IPAddress.Parse(address) };

    private async Task<AuthorizationDecision> DecideAsync(string action, Func<AuthorizationRequest, AuthorizationRequest>? shape = null)
    {
        var request = new AuthorizationRequest(Alice, action, RegistryResource.Of(Web));
        return await _authorizer.AuthorizeAsync(shape?.Invoke(request) ?? request, None);
    }

    private async Task AttachAsync(string statements) =>
        Assert.True(await _store.Users.PutPolicyAsync(
            Account, "alice", new UserPolicy("test", $$"""{"Version":"2012-10-17","Statement":[{{statements}}]}"""), None));

    private async Task DetachAsync() => Assert.True(await _store.Users.DeletePolicyAsync(Account, "alice", "test", None));
}
