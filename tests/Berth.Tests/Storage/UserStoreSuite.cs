using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>The user part of the metadata-store contract that every backend must pass.</summary>
public abstract class UserStoreSuite : MetadataSuite
{
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";

    private IUserStore Users => Store.Users;

    [Fact]
    [Covers<IUserStore>(nameof(IUserStore.CreateAsync))]
    [Covers<IUserStore>(nameof(IUserStore.FindAsync))]
    public async Task A_user_is_created_once_and_found_by_its_name_in_any_case()
    {
        var user = User.Create(Account, "ci-pusher", Now);
        Assert.Equal("arn:aws:iam::111111111111:user/ci-pusher", user.Arn);
        Assert.True(await Users.CreateAsync(user, None));
        Assert.False(await Users.CreateAsync(user with { CreatedAt = Now.AddDays(1) }, None));

        // IAM's names are case-insensitive: "CI-Pusher" is the same user, which keeps the spelling it was made with.
        Assert.False(await Users.CreateAsync(User.Create(Account, "CI-Pusher", Now), None));
        Assert.Equal(user, await (await ReopenAsync()).Users.FindAsync(Account, "ci-pusher", None));
        Assert.Equal(user, await Users.FindAsync(Account, "CI-PUSHER", None));
        Assert.Null(await Users.FindAsync(OtherAccount, "ci-pusher", None));
        Assert.True(await Users.CreateAsync(User.Create(OtherAccount, "CI-Pusher", Now), None));
    }

    [Fact]
    [Covers<IUserStore>(nameof(IUserStore.PutPolicyAsync))]
    [Covers<IUserStore>(nameof(IUserStore.DeletePolicyAsync))]
    public async Task Policies_and_keys_name_their_user_in_any_case_and_keep_its_spelling()
    {
        await Users.CreateAsync(User.Create(Account, "Alice", Now), None);
        Assert.True(await Users.PutPolicyAsync(Account, "ALICE", new UserPolicy("push", Policy), None));
        Assert.Equal([new UserPolicy("push", Policy)], await Users.ListPoliciesAsync(Account, "alice", None));
        Assert.True(await Store.AccessKeys.AddAsync(new AccessKey("AKIAEXAMPLECASEKEY01", "s", Account, Now) { UserName = "alice" }, None));
        Assert.Equal("Alice", (await Store.AccessKeys.FindAsync("AKIAEXAMPLECASEKEY01", None))!.UserName);

        Assert.True(await Users.DeletePolicyAsync(Account, "aLiCe", "push", None));
        Assert.Empty(await Users.ListPoliciesAsync(Account, "Alice", None));
        Assert.True(await Users.DeleteAsync(Account, "alice", None));
        Assert.Null(await Store.AccessKeys.FindAsync("AKIAEXAMPLECASEKEY01", None));
    }

    [Fact]
    [Covers<IUserStore>(nameof(IUserStore.ListAsync))]
    public async Task Users_are_listed_by_account_then_name()
    {
        var b = User.Create(Account, "b", Now);
        var a = User.Create(Account, "a", Now);
        var other = User.Create(OtherAccount, "a", Now);
        foreach (var user in new[] { b, other, a })
        {
            Assert.True(await Users.CreateAsync(user, None));
        }

        Assert.Equal([a, b, other], await Users.ListAsync(null, None));
        Assert.Equal([other], await Users.ListAsync(OtherAccount, None));
    }

    [Fact]
    [Covers<IUserStore>(nameof(IUserStore.DeleteAsync))]
    public async Task Deleting_a_user_deletes_its_policies_and_keys_only()
    {
        await Users.CreateAsync(User.Create(Account, "ci", Now), None);
        await Users.CreateAsync(User.Create(OtherAccount, "ci", Now), None);
        await Users.PutPolicyAsync(Account, "ci", new UserPolicy("push", Policy), None);
        var userKey = new AccessKey("AKIAEXAMPLEUSERKEY01", "s", Account, Now) { UserName = "ci" };
        var otherKey = new AccessKey("AKIAEXAMPLEUSERKEY02", "s", OtherAccount, Now) { UserName = "ci" };
        var rootKey = new AccessKey("AKIAEXAMPLEROOTKEY01", "s", Account, Now);
        foreach (var key in new[] { userKey, otherKey, rootKey })
        {
            Assert.True(await Store.AccessKeys.AddAsync(key, None));
        }

        Assert.True(await Users.DeleteAsync(Account, "ci", None));
        Assert.False(await Users.DeleteAsync(Account, "ci", None));

        Assert.Null(await Users.FindAsync(Account, "ci", None));
        Assert.Empty(await Users.ListPoliciesAsync(Account, "ci", None));
        Assert.Null(await Store.AccessKeys.FindAsync(userKey.AccessKeyId, None));
        Assert.Equal(otherKey, await Store.AccessKeys.FindAsync(otherKey.AccessKeyId, None));
        Assert.Equal(rootKey, await Store.AccessKeys.FindAsync(rootKey.AccessKeyId, None));

        // A recreated user starts with no policies.
        Assert.True(await Users.CreateAsync(User.Create(Account, "ci", Now), None));
        Assert.Empty(await Users.ListPoliciesAsync(Account, "ci", None));
    }

    [Fact]
    [Covers<IUserStore>(nameof(IUserStore.PutPolicyAsync))]
    [Covers<IUserStore>(nameof(IUserStore.ListPoliciesAsync))]
    [Covers<IUserStore>(nameof(IUserStore.DeletePolicyAsync))]
    public async Task Policies_are_kept_as_text_replaced_by_name_and_detached()
    {
        Assert.False(await Users.PutPolicyAsync(Account, "ci", new UserPolicy("push", Policy), None));
        await Users.CreateAsync(User.Create(Account, "ci", Now), None);
        var spaced = "{ \"Statement\" : [ ] ,\n \"Version\":\"2012-10-17\" }";
        Assert.True(await Users.PutPolicyAsync(Account, "ci", new UserPolicy("push", spaced), None));
        Assert.True(await Users.PutPolicyAsync(Account, "ci", new UserPolicy("all", Policy), None));
        Assert.Equal([new UserPolicy("all", Policy), new UserPolicy("push", spaced)], await (await ReopenAsync()).Users.ListPoliciesAsync(Account, "ci", None));

        Assert.True(await Users.PutPolicyAsync(Account, "ci", new UserPolicy("push", Policy), None));
        Assert.Equal([new UserPolicy("all", Policy), new UserPolicy("push", Policy)], await Users.ListPoliciesAsync(Account, "ci", None));

        Assert.True(await Users.DeletePolicyAsync(Account, "ci", "all", None));
        Assert.False(await Users.DeletePolicyAsync(Account, "ci", "all", None));
        Assert.False(await Users.DeletePolicyAsync(OtherAccount, "ci", "push", None));
        Assert.Equal([new UserPolicy("push", Policy)], await Users.ListPoliciesAsync(Account, "ci", None));
    }
}
