using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.Lifecycle;
using Berth.Domain.Referrers;
using Berth.Tests.Oci;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Domain.Referrers;

/// <summary>ReferrerService on a real store: the one filter and page cut both protocols' referrer listings use.</summary>
public sealed class ReferrerServiceTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private const string SbomType = "application/vnd.example.sbom.v1";
    private const string SignatureType = "application/vnd.example.signature.v1";

    private ReferrerService Referrers => fixture.Host.Services.GetRequiredService<ReferrerService>();

    private static RepositoryKey Key(string name) => new("123456789012", "us-east-1", name);

    /// <summary>A subject with four referrers (two SBOMs, two signatures); the one with the greatest digest is archived.</summary>
    private async Task<(RepositoryKey Repository, Digest Subject, string[] Ordered, string Archived, Dictionary<string, string> Types)> PushAsync()
    {
        var name = await fixture.CreateRepositoryAsync("referrer-service");
        var subject = await fixture.Oci.PushImageAsync(name, "v1", "subject");
        var empty = await fixture.Oci.PushBlobAsync(name, "{}", "application/vnd.oci.empty.v1+json");
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (type, i) in new[] { (SbomType, 1), (SbomType, 2), (SignatureType, 3), (SignatureType, 4) })
        {
            var manifest = TestManifests.Oci(empty, [], artifactType: type, subject: subject, annotations: new Dictionary<string, string> { ["n"] = $"{i}" });
            var pushed = await fixture.Oci.PushManifestAsync(name, $"r{i}", manifest, TestManifests.OciManifest);
            types[pushed.Digest.ToString()] = type;
        }

        var ordered = types.Keys.Order(StringComparer.Ordinal).ToArray();
        var repository = Key(name);
        var lifecycle = fixture.Host.Services.GetRequiredService<LifecycleService>();
        var images = fixture.Host.Services.GetRequiredService<ImageService>();
        var last = (await images.DescribeOneAsync(repository, new ImageId(ordered[^1], null), CancellationToken.None)).Value;
        await lifecycle.SetStorageClassAsync(repository, last, ImageStorageClass.Archive, CancellationToken.None);
        return (repository, subject.Digest, ordered, ordered[^1], types);
    }

    private static string[] Digests(IEnumerable<ImageRecord> records) => records.Select(r => r.Digest.ToString()).ToArray();

    [Fact]
    public async Task List_for_OCI_includes_archived_referrers_in_digest_order_and_filters_by_one_artifact_type()
    {
        var pushed = await PushAsync();

        var all = await Referrers.ListAsync(pushed.Repository, pushed.Subject, ReferrerFilter.All, CancellationToken.None);
        var signatures = await Referrers.ListAsync(pushed.Repository, pushed.Subject, ReferrerFilter.OfArtifactType(SignatureType), CancellationToken.None);

        Assert.Equal(pushed.Ordered, Digests(all.Value));
        Assert.Equal(pushed.Ordered.Where(d => pushed.Types[d] == SignatureType), Digests(signatures.Value));
    }

    [Fact]
    public async Task Status_filter_keeps_active_by_default_archived_on_request_and_nothing_as_activating()
    {
        var pushed = await PushAsync();

        async Task<string[]> PageAsync(ImageStatusFilter status, IReadOnlyList<string>? types = null) =>
            Digests((await Referrers.ListPageAsync(pushed.Repository, pushed.Subject, new ReferrerFilter(types, status), null, 100, CancellationToken.None)).Value.Items);

        Assert.Equal(pushed.Ordered[..^1], await PageAsync(ImageStatusFilter.Active));
        Assert.Equal([pushed.Archived], await PageAsync(ImageStatusFilter.Archived));
        Assert.Empty(await PageAsync(ImageStatusFilter.Activating));
        Assert.Equal(pushed.Ordered, await PageAsync(ImageStatusFilter.Any, []));
        Assert.Equal(pushed.Ordered, await PageAsync(ImageStatusFilter.Any, [SbomType, SignatureType]));
        Assert.Empty(await PageAsync(ImageStatusFilter.Any, ["application/vnd.example.other"]));
    }

    [Fact]
    public async Task Pages_walk_the_matching_referrers_and_end_without_a_key_when_only_unmatched_ones_remain()
    {
        var pushed = await PushAsync();
        var filter = new ReferrerFilter(null, ImageStatusFilter.Active);

        var seen = new List<string>();
        var keys = new List<string?>();
        string? after = null;
        do
        {
            var page = (await Referrers.ListPageAsync(pushed.Repository, pushed.Subject, filter, after, 1, CancellationToken.None)).Value;
            seen.AddRange(Digests(page.Items));
            keys.Add(page.NextKey);
            after = page.NextKey;
        }
        while (after is not null && seen.Count < 10);

        // The archived referrer sorts last, so the third page's key is null although the store holds a fourth.
        Assert.Equal(pushed.Ordered[..^1], seen);
        Assert.Equal([pushed.Ordered[0], pushed.Ordered[1], null], keys);
    }

    [Fact]
    public async Task An_unknown_repository_is_RepositoryNotFound_for_both_listings()
    {
        var subject = Digest.Compute("subject"u8);

        var listed = await Referrers.ListAsync(Key("no-such-repository"), subject, ReferrerFilter.All, CancellationToken.None);
        var paged = await Referrers.ListPageAsync(Key("no-such-repository"), subject, ReferrerFilter.All, null, 10, CancellationToken.None);

        Assert.Equal(ErrorCode.RepositoryNotFound, listed.Error!.Code);
        Assert.Equal(ErrorCode.RepositoryNotFound, paged.Error!.Code);
    }
}
