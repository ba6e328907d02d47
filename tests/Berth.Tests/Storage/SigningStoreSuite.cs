using Berth.Domain;
using Berth.Domain.Signing;

namespace Berth.Tests.Storage;

/// <summary>The managed-signing part of the metadata-store contract that every backend must pass.</summary>
public abstract class SigningStoreSuite : MetadataSuite
{
    private static readonly RegistryScope Registry = new(Account, Region);
    private static readonly RegistryScope Other = new(OtherAccount, Region);
    private static readonly Digest Signed = Digest.Compute("image"u8);
    private static readonly string ArnA = SigningProfileArn.Format(Registry, "alpha");
    private static readonly string ArnB = SigningProfileArn.Format(Registry, "beta");

    private ISigningStore Signing => Store.Signing;

    private static SigningProfile Profile(RegistryScope registry, string name) => new(
        registry, name, SigningKeyAlgorithm.EcdsaP256, "sealed1:key-of-" + name, [[1, 2, 3], [4, 5]], Now, Now.AddDays(30));

    [Fact]
    [Covers<ISigningStore>(nameof(ISigningStore.AddProfileAsync))]
    [Covers<ISigningStore>(nameof(ISigningStore.GetProfileAsync))]
    [Covers<ISigningStore>(nameof(ISigningStore.ListProfilesAsync))]
    [Covers<ISigningStore>(nameof(ISigningStore.DeleteProfileAsync))]
    public async Task A_profile_is_added_once_per_registry_survives_a_reopen_and_is_deleted_once()
    {
        Assert.True(await Signing.AddProfileAsync(Profile(Registry, "beta"), None));
        Assert.True(await Signing.AddProfileAsync(Profile(Registry, "alpha"), None));
        Assert.False(await Signing.AddProfileAsync(Profile(Registry, "alpha") with { SealedPrivateKey = "sealed1:other" }, None));
        Assert.True(await Signing.AddProfileAsync(Profile(Other, "alpha"), None));

        var reopened = await ReopenAsync();
        var found = await reopened.Signing.GetProfileAsync(Registry, "alpha", None);
        Assert.NotNull(found);
        Assert.Equal("sealed1:key-of-alpha", found.SealedPrivateKey);
        Assert.Equal([new byte[] { 1, 2, 3 }, [4, 5]], found.CertificateChain);
        Assert.Equal(Now, found.CreatedAt);
        Assert.Equal(Now.AddDays(30), found.NotAfter);
        Assert.Equal(["alpha", "beta"], (await reopened.Signing.ListProfilesAsync(Registry, None)).Select(p => p.Name));
        Assert.Null(await reopened.Signing.GetProfileAsync(new RegistryScope(Account, "eu-west-1"), "alpha", None));

        Assert.True(await Signing.DeleteProfileAsync(Registry, "alpha", None));
        Assert.False(await Signing.DeleteProfileAsync(Registry, "alpha", None));
        Assert.NotNull(await Signing.GetProfileAsync(Other, "alpha", None));
    }

    [Fact]
    [Covers<ISigningStore>(nameof(ISigningStore.PutConfigurationAsync))]
    [Covers<ISigningStore>(nameof(ISigningStore.GetConfigurationAsync))]
    [Covers<ISigningStore>(nameof(ISigningStore.DeleteConfigurationAsync))]
    public async Task A_configuration_is_replaced_read_and_deleted_per_registry()
    {
        Assert.Null(await Signing.GetConfigurationAsync(Registry, None));
        Assert.Null(await Signing.DeleteConfigurationAsync(Registry, None));

        await Signing.PutConfigurationAsync(Registry, "first", None);
        await Signing.PutConfigurationAsync(Registry, "second", None);
        await Signing.PutConfigurationAsync(Other, "other", None);

        Assert.Equal("second", await (await ReopenAsync()).Signing.GetConfigurationAsync(Registry, None));
        Assert.Equal("second", await Signing.DeleteConfigurationAsync(Registry, None));
        Assert.Null(await Signing.GetConfigurationAsync(Registry, None));
        Assert.Equal("other", await Signing.GetConfigurationAsync(Other, None));
    }

    [Fact]
    [Covers<ISigningStore>(nameof(ISigningStore.QueueAsync))]
    [Covers<ISigningStore>(nameof(ISigningStore.ListInProgressAsync))]
    [Covers<ISigningStore>(nameof(ISigningStore.FinishAsync))]
    [Covers<ISigningStore>(nameof(ISigningStore.ListForImageAsync))]
    public async Task Jobs_are_queued_once_finished_once_and_queued_again_only_on_restart()
    {
        var repository = await CreateRepositoryAsync("signed");
        Assert.Equal(0, await Signing.QueueAsync(Key("absent"), Signed, [ArnA], false, Now, None));
        Assert.Equal(2, await Signing.QueueAsync(repository, Signed, [ArnA, ArnB], false, Now, None));
        Assert.Equal(0, await Signing.QueueAsync(repository, Signed, [ArnA], false, Now.AddSeconds(1), None));

        var pending = await Signing.ListInProgressAsync(10, None);
        Assert.Equal([ArnA, ArnB], pending.Select(j => j.ProfileArn));
        Assert.All(pending, j => Assert.Equal((repository, Signed, ImageSigningStatus.InProgress, Now), (j.Repository, j.Digest, j.Status, j.QueuedAt)));
        Assert.Single(await Signing.ListInProgressAsync(1, None));

        var a = pending[0];
        Assert.False(await Signing.FinishAsync(a with { Status = ImageSigningStatus.Complete, QueuedAt = Now.AddSeconds(5) }, None));
        Assert.True(await Signing.FinishAsync(a with { Status = ImageSigningStatus.Complete }, None));
        Assert.False(await Signing.FinishAsync(a with { Status = ImageSigningStatus.Failed, FailureCode = "X" }, None));
        Assert.True(await Signing.FinishAsync(pending[1] with { Status = ImageSigningStatus.Failed, FailureCode = "SigningProfileNotFound", FailureReason = "gone" }, None));

        var jobs = await (await ReopenAsync()).Signing.ListForImageAsync(repository, Signed, None);
        Assert.Equal(ImageSigningStatus.Complete, jobs[0].Status);
        Assert.Null(jobs[0].FailureCode);
        Assert.Equal((ImageSigningStatus.Failed, "SigningProfileNotFound", "gone"), (jobs[1].Status, jobs[1].FailureCode, jobs[1].FailureReason));
        Assert.Empty(await Signing.ListInProgressAsync(10, None));

        // Stored anew (re-pushed after a delete): both are signed again, and the failure is forgotten.
        Assert.Equal(2, await Signing.QueueAsync(repository, Signed, [ArnA, ArnB], true, Now.AddMinutes(1), None));
        var again = await Signing.ListForImageAsync(repository, Signed, None);
        Assert.All(again, j => Assert.Equal((ImageSigningStatus.InProgress, (string?)null, Now.AddMinutes(1)), (j.Status, j.FailureCode, j.QueuedAt)));
        Assert.Empty(await Signing.ListForImageAsync(repository, Digest.Compute("other"u8), None));

        await Store.Repositories.DeleteAsync(repository, None);
        Assert.Empty(await Signing.ListInProgressAsync(10, None));
    }
}
