using Berth.Domain;
using Berth.Domain.Images;

namespace Berth.Tests.Storage;

/// <summary>
/// The image part of the metadata-store contract (images, tags, referrers, pulls, cascades) that every
/// backend must pass; each backend derives and supplies a store.
/// </summary>
public abstract class ImageStoreSuite : MetadataSuite
{
    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    [Covers<IImageStore>(nameof(IImageStore.ResolveTagAsync))]
    public async Task Put_of_a_new_image_with_a_tag_is_Created_and_tagged()
    {
        var web = await CreateRepositoryAsync("web");
        var config = await LinkAsync(web, "config");
        var layer = await LinkAsync(web, "layer");
        var image = Image("manifest one");

        var outcome = await PutAsync(web, image, "v1", BlobRef(config), BlobRef(layer));

        Assert.Equal(PutImageStatus.Created, outcome.Status);
        Assert.Null(outcome.PreviousDigest);
        Assert.Equal(image.Image.Digest, await Images.ResolveTagAsync(web, "v1", None));
        Assert.Equal(1, await Images.CountImagesAsync(web, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Put_of_a_new_image_without_a_tag_is_Created_and_untagged()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("untagged");

        Assert.Equal(PutImageStatus.Created, (await PutAsync(web, image, null)).Status);

        Assert.Empty((await Images.GetImageAsync(web, image.Image.Digest, None))!.Tags);
        Assert.Empty((await Images.ListTagsAsync(web, null, 10, None))!.Items);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Put_of_an_existing_image_under_a_new_tag_is_Tagged()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("manifest");
        await PutAsync(web, image, "v1");

        var outcome = await PutAsync(web, image, "latest");

        Assert.Equal(PutImageStatus.Tagged, outcome.Status);
        Assert.Equal(["latest", "v1"], (await Images.GetImageAsync(web, image.Image.Digest, None))!.Tags);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Put_of_the_same_image_and_tag_again_is_Unchanged()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("manifest");
        await PutAsync(web, image, "v1");

        Assert.Equal(PutImageStatus.Unchanged, (await PutAsync(web, image, "v1")).Status);
        Assert.Equal(PutImageStatus.Unchanged, (await PutAsync(web, image, null)).Status);
        Assert.Equal(1, await Images.CountImagesAsync(web, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Moving_a_mutable_tag_is_TagMoved_and_keeps_the_old_image_untagged()
    {
        var web = await CreateRepositoryAsync("web");
        var old = Image("old");
        var next = Image("new");
        await PutAsync(web, old, "latest");

        var outcome = await PutAsync(web, next, "latest");

        Assert.Equal(PutImageStatus.TagMoved, outcome.Status);
        Assert.Equal(old.Image.Digest, outcome.PreviousDigest);
        Assert.Equal(next.Image.Digest, await Images.ResolveTagAsync(web, "latest", None));
        var kept = await Images.GetImageAsync(web, old.Image.Digest, None);
        Assert.NotNull(kept);
        Assert.Empty(kept.Tags);
        Assert.Equal(2, await Images.CountImagesAsync(web, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Moving_a_tag_to_an_image_already_stored_is_TagMoved()
    {
        var web = await CreateRepositoryAsync("web");
        var first = Image("first");
        var second = Image("second");
        await PutAsync(web, first, "latest");
        await PutAsync(web, second, null);

        var outcome = await PutAsync(web, second, "latest");

        Assert.Equal(PutImageStatus.TagMoved, outcome.Status);
        Assert.Equal(first.Image.Digest, outcome.PreviousDigest);
        Assert.Equal(second.Image.Digest, await Images.ResolveTagAsync(web, "latest", None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Immutable_repository_refuses_to_move_a_tag_and_writes_nothing()
    {
        var web = await CreateRepositoryAsync("web", TagMutability.Immutable);
        var first = Image("first");
        var second = Image("second");
        await PutAsync(web, first, "v1");

        var outcome = await PutAsync(web, second, "v1");

        Assert.Equal(PutImageStatus.ImmutableTag, outcome.Status);
        Assert.Equal(first.Image.Digest, await Images.ResolveTagAsync(web, "v1", None));
        Assert.Null(await Images.GetImageAsync(web, second.Image.Digest, None));
        Assert.Equal(1, await Images.CountImagesAsync(web, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Immutable_repository_accepts_the_same_image_again_and_new_tags()
    {
        var web = await CreateRepositoryAsync("web", TagMutability.Immutable);
        var first = Image("first");
        await PutAsync(web, first, "v1");

        Assert.Equal(PutImageStatus.Unchanged, (await PutAsync(web, first, "v1")).Status);
        Assert.Equal(PutImageStatus.Tagged, (await PutAsync(web, first, "stable")).Status);
        Assert.Equal(PutImageStatus.Created, (await PutAsync(web, Image("second"), "v2")).Status);
    }

    [Theory]
    [InlineData(TagMutability.ImmutableWithExclusion, "latest", PutImageStatus.TagMoved)]
    [InlineData(TagMutability.ImmutableWithExclusion, "dev-42", PutImageStatus.TagMoved)]
    [InlineData(TagMutability.ImmutableWithExclusion, "v1", PutImageStatus.ImmutableTag)]
    [InlineData(TagMutability.MutableWithExclusion, "latest", PutImageStatus.ImmutableTag)]
    [InlineData(TagMutability.MutableWithExclusion, "dev-42", PutImageStatus.ImmutableTag)]
    [InlineData(TagMutability.MutableWithExclusion, "v1", PutImageStatus.TagMoved)]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Exclusion_filters_decide_which_tags_may_move(TagMutability mode, string tag, PutImageStatus expected)
    {
        var web = await CreateRepositoryAsync("web", mode, ["latest", "dev-*"]);
        await PutAsync(web, Image("first"), tag);

        var outcome = await PutAsync(web, Image("second"), tag);

        Assert.Equal(expected, outcome.Status);
        Assert.Equal(expected == PutImageStatus.TagMoved ? 2 : 1, await Images.CountImagesAsync(web, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Put_with_missing_blobs_lists_them_and_writes_nothing()
    {
        var web = await CreateRepositoryAsync("web");
        var other = await CreateRepositoryAsync("other");
        var config = await LinkAsync(web, "config");
        var elsewhere = await LinkAsync(other, "layer only in another repository");
        var absent = Blob("never uploaded");

        var outcome = await PutAsync(web, Image("manifest"), "v1", BlobRef(config), BlobRef(elsewhere), BlobRef(absent));

        Assert.Equal(PutImageStatus.MissingBlobs, outcome.Status);
        Assert.Equal([elsewhere.Digest, absent.Digest], outcome.Missing);
        Assert.Equal(0, await Images.CountImagesAsync(web, None));
        Assert.Null(await Images.ResolveTagAsync(web, "v1", None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Put_of_an_index_with_missing_children_lists_them_and_writes_nothing()
    {
        var web = await CreateRepositoryAsync("web");
        var present = Image("child present");
        var absent = Image("child absent");
        await PutAsync(web, present, null);

        var outcome = await PutAsync(web, Image("index", IndexType), "multi", ManifestRef(present.Image), ManifestRef(absent.Image));

        Assert.Equal(PutImageStatus.MissingManifests, outcome.Status);
        Assert.Equal([absent.Image.Digest], outcome.Missing);
        Assert.Equal(1, await Images.CountImagesAsync(web, None));
        Assert.Null(await Images.ResolveTagAsync(web, "multi", None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task A_blob_does_not_count_as_a_child_manifest()
    {
        var web = await CreateRepositoryAsync("web");
        var blob = await LinkAsync(web, "not a manifest");

        var outcome = await PutAsync(web, Image("index", IndexType), null, new ImageReference(blob.Digest, ImageReferenceKind.Manifest));

        Assert.Equal(PutImageStatus.MissingManifests, outcome.Status);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Put_into_a_missing_repository_is_RepositoryNotFound()
    {
        Assert.Equal(PutImageStatus.RepositoryNotFound, (await PutAsync(Key("missing"), Image("m"), "v1")).Status);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Refused_immutable_put_does_not_store_the_new_image_under_any_tag()
    {
        var web = await CreateRepositoryAsync("web", TagMutability.Immutable);
        await PutAsync(web, Image("first"), "v1");
        var second = Image("second");

        await PutAsync(web, second, "v1");

        Assert.Equal(["v1"], (await Images.ListTagsAsync(web, null, 10, None))!.Items);
        Assert.Null(await Images.GetImageAsync(web, second.Image.Digest, None));
    }

    // Reading

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.GetImageAsync))]
    public async Task GetImage_returns_the_exact_bytes_metadata_and_sorted_tags()
    {
        var web = await CreateRepositoryAsync("web");
        var subject = Digest.Compute("subject"u8);
        var image = Image(" {\n\t\"odd\" :  \"whitespace\"\r\n}  ", subject: subject, artifactType: "application/vnd.example", annotations: """{"k":"v"}""");
        await PutAsync(web, image, "b-tag");
        await PutAsync(web, image, "a-tag");

        var read = await Images.GetImageAsync(web, image.Image.Digest, None);

        Assert.NotNull(read);
        Assert.Equal(image.Bytes, read.Manifest!.Value.ToArray());
        Assert.Equal(["a-tag", "b-tag"], read.Tags);
        Assert.Equal(image.Image.Digest, read.Digest);
        Assert.Equal(ManifestType, read.MediaType);
        Assert.Equal(image.Bytes.Length, read.ManifestSize);
        Assert.Equal(1234, read.ImageSizeInBytes);
        Assert.Equal(Now, read.PushedAt);
        Assert.Equal("application/vnd.oci.image.config.v1+json", read.ArtifactMediaType);
        Assert.Equal("application/vnd.example", read.ArtifactType);
        Assert.Equal(subject, read.Subject);
        Assert.Equal("""{"k":"v"}""", read.AnnotationsJson);
        Assert.Null(read.LastPulledAt);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.GetImageAsync))]
    [Covers<IImageStore>(nameof(IImageStore.ResolveTagAsync))]
    public async Task GetImage_and_ResolveTag_see_only_their_repository()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        var image = Image("manifest");
        await PutAsync(web, image, "v1");

        Assert.Null(await Images.GetImageAsync(api, image.Image.Digest, None));
        Assert.Null(await Images.GetImageAsync(web, Digest.Compute("other"u8), None));
        Assert.Null(await Images.ResolveTagAsync(api, "v1", None));
        Assert.Null(await Images.ResolveTagAsync(web, "v2", None));
        Assert.Null(await Images.ResolveTagAsync(Key("missing"), "v1", None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.ListTagsAsync))]
    public async Task ListTags_pages_in_ordinal_order_with_a_keyset()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("manifest");
        foreach (var tag in new[] { "c", "a", "E", "b", "d" })
        {
            await PutAsync(web, image, tag);
        }

        var first = await Images.ListTagsAsync(web, null, 2, None);
        var second = await Images.ListTagsAsync(web, first!.NextKey, 2, None);
        var third = await Images.ListTagsAsync(web, second!.NextKey, 2, None);

        Assert.Equal(["E", "a"], first.Items);
        Assert.Equal("a", first.NextKey);
        Assert.Equal(["b", "c"], second.Items);
        Assert.Equal(["d"], third!.Items);
        Assert.Null(third.NextKey);
        Assert.Equal(["c", "d"], (await Images.ListTagsAsync(web, "bb", 10, None))!.Items);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.ListTagsAsync))]
    public async Task ListTags_of_an_empty_repository_is_empty_and_of_a_missing_one_null()
    {
        var web = await CreateRepositoryAsync("web");

        var page = await Images.ListTagsAsync(web, null, 10, None);

        Assert.Empty(page!.Items);
        Assert.Null(page.NextKey);
        Assert.Null(await Images.ListTagsAsync(Key("missing"), null, 10, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.ListTagsAsync))]
    public async Task A_tag_page_that_exactly_fills_the_limit_has_no_next_key()
    {
        var web = await CreateRepositoryAsync("web");
        await PutAsync(web, Image("m"), "a");
        await PutAsync(web, Image("m"), "b");

        var page = await Images.ListTagsAsync(web, null, 2, None);

        Assert.Equal(["a", "b"], page!.Items);
        Assert.Null(page.NextKey);
    }

    // Deleting

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DeleteImageAsync))]
    public async Task DeleteImage_removes_the_image_and_all_its_tags()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("manifest");
        var other = Image("other");
        await PutAsync(web, image, "v1");
        await PutAsync(web, image, "latest");
        await PutAsync(web, other, "v2");

        Assert.Equal(DeleteImageStatus.Deleted, await Images.DeleteImageAsync(web, image.Image.Digest, None));

        Assert.Null(await Images.GetImageAsync(web, image.Image.Digest, None));
        Assert.Null(await Images.ResolveTagAsync(web, "v1", None));
        Assert.Null(await Images.ResolveTagAsync(web, "latest", None));
        Assert.Equal(["v2"], (await Images.ListTagsAsync(web, null, 10, None))!.Items);
        Assert.Equal(1, await Images.CountImagesAsync(web, None));
        Assert.Equal(DeleteImageStatus.NotFound, await Images.DeleteImageAsync(web, image.Image.Digest, None));
        Assert.Equal(DeleteImageStatus.RepositoryNotFound, await Images.DeleteImageAsync(Key("missing"), image.Image.Digest, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DeleteImageAsync))]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Deleted_image_can_be_pushed_again()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("manifest");
        await PutAsync(web, image, "v1");
        await Images.DeleteImageAsync(web, image.Image.Digest, None);

        Assert.Equal(PutImageStatus.Created, (await PutAsync(web, image, "v1")).Status);
        Assert.Equal(["v1"], (await Images.GetImageAsync(web, image.Image.Digest, None))!.Tags);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DeleteImageAsync))]
    public async Task DeleteImage_refuses_a_child_of_an_index_until_the_index_is_gone()
    {
        var web = await CreateRepositoryAsync("web");
        var child = Image("child");
        var index = Image("index", IndexType);
        await PutAsync(web, child, "child");
        await PutAsync(web, index, "multi", ManifestRef(child.Image));

        Assert.Equal(DeleteImageStatus.ReferencedByIndex, await Images.DeleteImageAsync(web, child.Image.Digest, None));
        Assert.NotNull(await Images.GetImageAsync(web, child.Image.Digest, None));
        Assert.Equal(child.Image.Digest, await Images.ResolveTagAsync(web, "child", None));

        Assert.Equal(DeleteImageStatus.Deleted, await Images.DeleteImageAsync(web, index.Image.Digest, None));
        Assert.Equal(DeleteImageStatus.Deleted, await Images.DeleteImageAsync(web, child.Image.Digest, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DeleteImageAsync))]
    public async Task An_index_in_another_repository_does_not_hold_a_child()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        var child = Image("child");
        await PutAsync(web, child, null);
        await PutAsync(api, child, null);
        await PutAsync(api, Image("index", IndexType), null, ManifestRef(child.Image));

        Assert.Equal(DeleteImageStatus.Deleted, await Images.DeleteImageAsync(web, child.Image.Digest, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DeleteTagAsync))]
    public async Task DeleteTag_removes_only_the_tag_by_default()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("manifest");
        await PutAsync(web, image, "v1");

        Assert.Equal(DeleteImageStatus.TagRemoved, await Images.DeleteTagAsync(web, "v1", deleteUntaggedImage: false, None));

        Assert.Null(await Images.ResolveTagAsync(web, "v1", None));
        Assert.Empty((await Images.GetImageAsync(web, image.Image.Digest, None))!.Tags);
        Assert.Equal(DeleteImageStatus.NotFound, await Images.DeleteTagAsync(web, "v1", deleteUntaggedImage: false, None));
        Assert.Equal(DeleteImageStatus.RepositoryNotFound, await Images.DeleteTagAsync(Key("missing"), "v1", deleteUntaggedImage: false, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DeleteTagAsync))]
    public async Task DeleteTag_with_deleteUntaggedImage_removes_the_image_with_its_last_tag()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("manifest");
        await PutAsync(web, image, "v1");
        await PutAsync(web, image, "latest");

        Assert.Equal(DeleteImageStatus.TagRemoved, await Images.DeleteTagAsync(web, "v1", deleteUntaggedImage: true, None));
        Assert.NotNull(await Images.GetImageAsync(web, image.Image.Digest, None));

        Assert.Equal(DeleteImageStatus.Deleted, await Images.DeleteTagAsync(web, "latest", deleteUntaggedImage: true, None));
        Assert.Null(await Images.GetImageAsync(web, image.Image.Digest, None));
        Assert.Equal(0, await Images.CountImagesAsync(web, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DeleteTagAsync))]
    public async Task DeleteTag_with_deleteUntaggedImage_keeps_an_image_an_index_references()
    {
        var web = await CreateRepositoryAsync("web");
        var child = Image("child");
        await PutAsync(web, child, "child");
        await PutAsync(web, Image("index", IndexType), null, ManifestRef(child.Image));

        Assert.Equal(DeleteImageStatus.TagRemoved, await Images.DeleteTagAsync(web, "child", deleteUntaggedImage: true, None));

        Assert.Null(await Images.ResolveTagAsync(web, "child", None));
        Assert.NotNull(await Images.GetImageAsync(web, child.Image.Digest, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DeleteTagAsync))]
    public async Task DeleteTag_with_an_outbox_names_the_digest_the_tag_pointed_at_when_it_was_removed()
    {
        var web = await CreateRepositoryAsync("web");
        var first = Image("first");
        var second = Image("second");
        await PutAsync(web, first, "v1");
        await PutAsync(web, second, "v1");
        var asked = new List<Digest>();
        IReadOnlyList<Berth.Domain.Outbox.OutboxMessage> OutboxFor(Digest digest)
        {
            asked.Add(digest);
            return [new("event", "tag/" + digest, "{}")];
        }

        Assert.Equal(DeleteImageStatus.TagRemoved, await Images.DeleteTagAsync(web, "v1", deleteUntaggedImage: false, OutboxFor, None));

        // The tag had moved: the message names where it pointed at the delete, written with it.
        Assert.Equal([second.Image.Digest], asked);
        Assert.Single(await Store.Outbox.ListAsync("event", "tag/" + second.Image.Digest, None));
        Assert.Equal(DeleteImageStatus.NotFound, await Images.DeleteTagAsync(web, "v1", deleteUntaggedImage: false, OutboxFor, None));
        Assert.Equal(DeleteImageStatus.RepositoryNotFound, await Images.DeleteTagAsync(Key("missing"), "v1", deleteUntaggedImage: false, OutboxFor, None));
        Assert.Single(asked);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DeleteImagesAsync))]
    public async Task DeleteImages_deletes_in_order_and_writes_one_outbox_naming_those_it_deleted()
    {
        var web = await CreateRepositoryAsync("web");
        var child = Image("child");
        var alone = Image("alone");
        await PutAsync(web, child, "child");
        await PutAsync(web, alone, "alone");
        var index = Image("index", IndexType);
        await PutAsync(web, index, null, ManifestRef(child.Image));
        var asked = new List<IReadOnlyList<Digest>>();
        IReadOnlyList<Berth.Domain.Outbox.OutboxMessage> OutboxFor(IReadOnlyList<Digest> deleted)
        {
            asked.Add([.. deleted]);
            return [new("event", "batch/web", string.Join(",", deleted))];
        }

        // The child, named before its index, is refused (the index still lists it); the rest go in order.
        var statuses = await Images.DeleteImagesAsync(
            web, [child.Image.Digest, index.Image.Digest, Image("never pushed").Image.Digest, alone.Image.Digest], OutboxFor, None);

        Assert.Equal([DeleteImageStatus.ReferencedByIndex, DeleteImageStatus.Deleted, DeleteImageStatus.NotFound, DeleteImageStatus.Deleted], statuses);
        Assert.Equal([index.Image.Digest, alone.Image.Digest], Assert.Single(asked));
        var written = Assert.Single(await Store.Outbox.ListAsync("event", "batch/web", None));
        Assert.Equal($"{index.Image.Digest},{alone.Image.Digest}", written.Payload);
        Assert.NotNull(await Images.GetImageAsync(web, child.Image.Digest, None));
        Assert.Null(await Images.GetImageAsync(web, alone.Image.Digest, None));

        // Nothing deleted, nothing asked or written.
        Assert.Equal([DeleteImageStatus.NotFound], await Images.DeleteImagesAsync(web, [alone.Image.Digest], OutboxFor, None));
        Assert.Equal([DeleteImageStatus.RepositoryNotFound], await Images.DeleteImagesAsync(Key("missing"), [alone.Image.Digest], OutboxFor, None));
        Assert.Single(asked);
    }

    // Referrers, pulls, counts

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.ListReferrersAsync))]
    public async Task Referrers_are_the_images_whose_subject_matches_ordered_by_digest_without_bytes()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        var subject = Image("subject");
        await PutAsync(web, subject, "v1");
        var sbom = Image("sbom", subject: subject.Image.Digest, artifactType: "application/vnd.example.sbom", annotations: """{"kind":"sbom"}""");
        var signature = Image("signature", subject: subject.Image.Digest, artifactType: "application/vnd.example.sig");
        var unrelated = Image("unrelated", subject: Digest.Compute("something else"u8));
        await PutAsync(web, sbom, null);
        await PutAsync(web, signature, null);
        await PutAsync(web, unrelated, null);
        await PutAsync(api, Image("elsewhere", subject: subject.Image.Digest), null);

        var referrers = await Images.ListReferrersAsync(web, subject.Image.Digest, None);

        var expected = new[] { sbom.Image, signature.Image }.OrderBy(i => i.Digest.ToString(), StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Select(i => i.Digest), referrers.Select(r => r.Digest));
        Assert.All(referrers, r => Assert.Null(r.Manifest));
        var readSbom = referrers.Single(r => r.Digest == sbom.Image.Digest);
        Assert.Equal("application/vnd.example.sbom", readSbom.ArtifactType);
        Assert.Equal("""{"kind":"sbom"}""", readSbom.AnnotationsJson);
        Assert.Equal(sbom.Bytes.Length, readSbom.ManifestSize);
        Assert.Equal(ManifestType, readSbom.MediaType);
        Assert.Null(referrers.Single(r => r.Digest == signature.Image.Digest).AnnotationsJson);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.ListReferrersAsync))]
    public async Task Referrers_of_an_unknown_subject_or_repository_are_empty()
    {
        var web = await CreateRepositoryAsync("web");

        Assert.Empty(await Images.ListReferrersAsync(web, Digest.Compute("nothing"u8), None));
        Assert.Empty(await Images.ListReferrersAsync(Key("missing"), Digest.Compute("nothing"u8), None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.ListReferrersAsync))]
    public async Task Referrers_of_a_subject_never_pushed_are_listed()
    {
        var web = await CreateRepositoryAsync("web");
        var subject = Digest.Compute("never pushed"u8);
        var referrer = Image("referrer", subject: subject);
        await PutAsync(web, referrer, null);

        Assert.Equal([referrer.Image.Digest], (await Images.ListReferrersAsync(web, subject, None)).Select(r => r.Digest));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.RecordPullAsync))]
    public async Task RecordPull_sets_the_last_pull_time_of_that_image_only()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        var image = Image("manifest");
        await PutAsync(web, image, null);
        await PutAsync(api, image, null);
        var pulled = Now.AddMinutes(5);

        await Images.RecordPullAsync(web, image.Image.Digest, pulled, None);

        Assert.Equal(pulled, (await Images.GetImageAsync(web, image.Image.Digest, None))!.LastPulledAt);
        Assert.Null((await Images.GetImageAsync(api, image.Image.Digest, None))!.LastPulledAt);
        await Images.RecordPullAsync(web, Digest.Compute("unknown"u8), pulled, None);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.CountImagesAsync))]
    public async Task CountImages_counts_per_repository_and_is_zero_for_a_missing_one()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        await PutAsync(web, Image("one"), "v1");
        await PutAsync(web, Image("two"), null);
        await PutAsync(api, Image("one"), null);

        Assert.Equal(2, await Images.CountImagesAsync(web, None));
        Assert.Equal(1, await Images.CountImagesAsync(api, None));
        Assert.Equal(0, await Images.CountImagesAsync(Key("missing"), None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.GetImageAsync))]
    [Covers<IImageStore>(nameof(IImageStore.ResolveTagAsync))]
    [Covers<IImageStore>(nameof(IImageStore.ListTagsAsync))]
    public async Task Accounts_are_separate_for_images_and_tags()
    {
        var mine = await CreateRepositoryAsync("same-name");
        var theirs = await CreateRepositoryAsync("same-name", account: OtherAccount);
        var image = Image("manifest");
        await PutAsync(mine, image, "v1");

        Assert.Null(await Images.GetImageAsync(theirs, image.Image.Digest, None));
        Assert.Null(await Images.ResolveTagAsync(theirs, "v1", None));
        Assert.Empty((await Images.ListTagsAsync(theirs, null, 10, None))!.Items);
        Assert.Equal(DeleteImageStatus.NotFound, await Images.DeleteImageAsync(theirs, image.Image.Digest, None));
    }

    // Repository deletion

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.DeleteAsync))]
    public async Task Deleting_a_repository_removes_its_images_tags_blob_links_and_uploads()
    {
        var web = await CreateRepositoryAsync("web");
        var keep = await CreateRepositoryAsync("keep");
        var blob = await LinkAsync(web, "layer");
        await LinkAsync(keep, "layer");
        var child = Image("child");
        await PutAsync(web, child, "v1", BlobRef(blob));
        await PutAsync(web, Image("index", IndexType), "multi", ManifestRef(child.Image));
        var upload = new UploadSession(Guid.NewGuid(), web, Now, Now, 0);
        Assert.True(await Store.Uploads.CreateAsync(upload, None));

        Assert.NotNull(await Store.Repositories.DeleteAsync(web, None));

        Assert.Null(await Store.Uploads.GetAsync(upload.Id, None));
        Assert.Equal(0, await Images.CountImagesAsync(web, None));
        Assert.NotNull(await Images.FindBlobAsync(keep, blob.Digest, None));

        // A new repository of the same name starts empty.
        await CreateRepositoryAsync("web");
        Assert.Null(await Images.FindBlobAsync(web, blob.Digest, None));
        Assert.Null(await Images.GetImageAsync(web, child.Image.Digest, None));
        Assert.Null(await Images.ResolveTagAsync(web, "v1", None));
        Assert.Empty((await Images.ListTagsAsync(web, null, 10, None))!.Items);
        Assert.Equal(0, await Images.CountImagesAsync(web, None));
    }

    // The pull path and listings

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.GetManifestAsync))]
    public async Task GetManifest_by_tag_or_digest_returns_the_bytes_and_storage_class_without_tags()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        var image = Image("manifest", artifactType: "application/vnd.example");
        await PutAsync(web, image, "v1");

        var byTag = await Images.GetManifestAsync(web, "v1", null, None);
        var byDigest = await Images.GetManifestAsync(web, null, image.Image.Digest, None);

        foreach (var read in new[] { byTag, byDigest })
        {
            Assert.NotNull(read);
            Assert.Equal(image.Image.Digest, read.Digest);
            Assert.Equal(image.Bytes, read.Manifest!.Value.ToArray());
            Assert.Equal(ManifestType, read.MediaType);
            Assert.Equal("application/vnd.example", read.ArtifactType);
            Assert.Equal(ImageStorageClass.Standard, read.StorageClass);
            Assert.Empty(read.Tags);
        }

        Assert.Null(await Images.GetManifestAsync(web, "v2", null, None));
        Assert.Null(await Images.GetManifestAsync(web, null, Digest.Compute("other"u8), None));
        Assert.Null(await Images.GetManifestAsync(api, "v1", null, None));
        Assert.Null(await Images.GetManifestAsync(Key("missing"), null, image.Image.Digest, None));

        // Archived images are still found: refusing the pull is the domain's rule, which needs the storage class.
        await Store.Lifecycle.SetStorageClassAsync(web, image.Image.Digest, ImageStorageClass.Archive, Now, None);
        Assert.Equal(ImageStorageClass.Archive, (await Images.GetManifestAsync(web, "v1", null, None))!.StorageClass);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DescribeImagesAsync))]
    public async Task DescribeImages_pages_by_digest_with_sorted_tags_and_no_bytes()
    {
        var web = await CreateRepositoryAsync("web");
        var images = new[] { Image("one"), Image("two"), Image("three") };
        await PutAsync(web, images[0], "b");
        await PutAsync(web, images[0], "a");
        await PutAsync(web, images[1], null);
        await PutAsync(web, images[2], "c");
        var ordered = images.Select(i => i.Image).OrderBy(i => i.Digest.ToString(), StringComparer.Ordinal).ToArray();

        var first = await Images.DescribeImagesAsync(web, TagStatusFilter.Any, ImageStatusFilter.Active, null, 2, None);
        var second = await Images.DescribeImagesAsync(web, TagStatusFilter.Any, ImageStatusFilter.Active, first!.NextKey, 2, None);

        Assert.Equal(ordered.Take(2).Select(i => i.Digest), first.Items.Select(i => i.Digest));
        Assert.Equal(ordered[1].Digest.ToString(), first.NextKey);
        Assert.Equal([ordered[2].Digest], second!.Items.Select(i => i.Digest));
        Assert.Null(second.NextKey);
        var all = first.Items.Concat(second.Items).ToDictionary(i => i.Digest);
        Assert.Equal(["a", "b"], all[images[0].Image.Digest].Tags);
        Assert.Empty(all[images[1].Image.Digest].Tags);
        Assert.All(all.Values, i => Assert.Null(i.Manifest));
        Assert.Equal(images[0].Bytes.Length, all[images[0].Image.Digest].ManifestSize);
        Assert.Equal(1234, all[images[0].Image.Digest].ImageSizeInBytes);
        Assert.Null(await Images.DescribeImagesAsync(Key("missing"), TagStatusFilter.Any, ImageStatusFilter.Active, null, 10, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.DescribeImagesAsync))]
    public async Task DescribeImages_filters_by_tag_status_and_storage_class()
    {
        var web = await CreateRepositoryAsync("web");
        var tagged = Image("tagged");
        var untagged = Image("untagged");
        var archived = Image("archived");
        await PutAsync(web, tagged, "v1");
        await PutAsync(web, untagged, null);
        await PutAsync(web, archived, "old");
        await Store.Lifecycle.SetStorageClassAsync(web, archived.Image.Digest, ImageStorageClass.Archive, Now, None);

        async Task<Digest[]> Describe(TagStatusFilter tags, ImageStatusFilter status) =>
            [.. (await Images.DescribeImagesAsync(web, tags, status, null, 10, None))!.Items.Select(i => i.Digest).OrderBy(d => d.ToString(), StringComparer.Ordinal)];

        Digest[] Sorted(params (ImageRecord Image, byte[] Bytes)[] expected) => [.. expected.Select(i => i.Image.Digest).OrderBy(d => d.ToString(), StringComparer.Ordinal)];
        Assert.Equal(Sorted(tagged, untagged), await Describe(TagStatusFilter.Any, ImageStatusFilter.Active));
        Assert.Equal(Sorted(tagged), await Describe(TagStatusFilter.Tagged, ImageStatusFilter.Active));
        Assert.Equal(Sorted(untagged), await Describe(TagStatusFilter.Untagged, ImageStatusFilter.Active));
        Assert.Equal(Sorted(archived), await Describe(TagStatusFilter.Any, ImageStatusFilter.Archived));
        Assert.Equal(Sorted(tagged, untagged, archived), await Describe(TagStatusFilter.Any, ImageStatusFilter.Any));
        Assert.Empty(await Describe(TagStatusFilter.Any, ImageStatusFilter.Activating));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.ListImageIdsAsync))]
    public async Task ListImageIds_lists_tags_by_tag_then_untagged_digests_by_digest_across_pages()
    {
        var web = await CreateRepositoryAsync("web");
        var first = Image("first");
        var second = Image("second");
        var loose = new[] { Image("loose one"), Image("loose two") };
        await PutAsync(web, first, "b");
        await PutAsync(web, second, "a");
        await PutAsync(web, first, "c");
        await PutAsync(web, loose[0], null);
        await PutAsync(web, loose[1], null);
        var untagged = loose.Select(i => i.Image.Digest).OrderBy(d => d.ToString(), StringComparer.Ordinal).ToArray();
        var expected = new ImageListEntry[]
        {
            new(second.Image.Digest, "a"), new(first.Image.Digest, "b"), new(first.Image.Digest, "c"),
            new(untagged[0], null), new(untagged[1], null),
        };

        var entries = new List<ImageListEntry>();
        var keys = new List<string?>();
        string? after = null;
        do
        {
            var page = await Images.ListImageIdsAsync(web, TagStatusFilter.Any, ImageStatusFilter.Active, after, 2, None);
            entries.AddRange(page!.Items);
            keys.Add(after = page.NextKey);
        }
        while (after is not null);

        Assert.Equal(expected, entries);
        Assert.Equal(["t:b", "u:" + untagged[0], null], keys);
        Assert.Equal(expected[..3], (await Images.ListImageIdsAsync(web, TagStatusFilter.Tagged, ImageStatusFilter.Active, null, 10, None))!.Items);
        Assert.Equal(expected[3..], (await Images.ListImageIdsAsync(web, TagStatusFilter.Untagged, ImageStatusFilter.Active, null, 10, None))!.Items);
        Assert.Null(await Images.ListImageIdsAsync(Key("missing"), TagStatusFilter.Any, ImageStatusFilter.Active, null, 10, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.ListImageIdsAsync))]
    public async Task ListImageIds_filters_by_storage_class()
    {
        var web = await CreateRepositoryAsync("web");
        var active = Image("active");
        var archived = Image("archived");
        await PutAsync(web, active, "v1");
        await PutAsync(web, archived, "v2");
        await PutAsync(web, Image("archived loose"), null);
        await Store.Lifecycle.SetStorageClassAsync(web, archived.Image.Digest, ImageStorageClass.Archive, Now, None);
        await Store.Lifecycle.SetStorageClassAsync(web, Image("archived loose").Image.Digest, ImageStorageClass.Archive, Now, None);

        Assert.Equal([new ImageListEntry(active.Image.Digest, "v1")], (await Images.ListImageIdsAsync(web, TagStatusFilter.Any, ImageStatusFilter.Active, null, 10, None))!.Items);
        Assert.Equal(
            [new ImageListEntry(archived.Image.Digest, "v2"), new ImageListEntry(Image("archived loose").Image.Digest, null)],
            (await Images.ListImageIdsAsync(web, TagStatusFilter.Any, ImageStatusFilter.Archived, null, 10, None))!.Items);
        Assert.Equal(3, (await Images.ListImageIdsAsync(web, TagStatusFilter.Any, ImageStatusFilter.Any, null, 10, None))!.Items.Count);
    }

    // What PutImage does beyond storing: restore from archive, keep tag counts

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task Pushing_an_archived_image_again_restores_it_at_the_push_time()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("manifest");
        await PutAsync(web, image, "v1");
        await Store.Lifecycle.SetStorageClassAsync(web, image.Image.Digest, ImageStorageClass.Archive, Now.AddDays(1), None);
        var pushedAgain = image with { Image = image.Image with { PushedAt = Now.AddDays(2) } };

        var outcome = await PutAsync(web, pushedAgain, "v1");

        Assert.Equal(PutImageStatus.Unchanged, outcome.Status);
        var read = await Images.GetImageAsync(web, image.Image.Digest, None);
        Assert.Equal(ImageStorageClass.Standard, read!.StorageClass);
        Assert.Equal(Now.AddDays(2), read.LastActivatedAt);
        Assert.Equal(Now.AddDays(1), read.LastArchivedAt);
        Assert.Equal(Now, read.PushedAt);
        Assert.Equal(["v1"], read.Tags);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task A_refused_push_leaves_an_archived_image_archived()
    {
        var web = await CreateRepositoryAsync("web", TagMutability.Immutable);
        var image = Image("manifest");
        await PutAsync(web, image, "v1");
        await PutAsync(web, Image("other"), "v2");
        await Store.Lifecycle.SetStorageClassAsync(web, image.Image.Digest, ImageStorageClass.Archive, Now, None);

        Assert.Equal(PutImageStatus.ImmutableTag, (await PutAsync(web, image, "v2")).Status);

        Assert.Equal(ImageStorageClass.Archive, (await Images.GetImageAsync(web, image.Image.Digest, None))!.StorageClass);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    [Covers<IImageStore>(nameof(IImageStore.DeleteTagAsync))]
    public async Task Tagged_and_untagged_listings_follow_tag_moves_and_removals()
    {
        var web = await CreateRepositoryAsync("web");
        var old = Image("old");
        var next = Image("next");
        await PutAsync(web, old, "latest");
        await PutAsync(web, old, "v1");

        async Task<Digest[]> Untagged() =>
            [.. (await Images.DescribeImagesAsync(web, TagStatusFilter.Untagged, ImageStatusFilter.Active, null, 10, None))!.Items.Select(i => i.Digest)];

        await PutAsync(web, next, "latest");
        Assert.Empty(await Untagged());

        await PutAsync(web, next, "v1");
        Assert.Equal([old.Image.Digest], await Untagged());

        await PutAsync(web, old, "v1");
        Assert.Empty(await Untagged());

        await Images.DeleteTagAsync(web, "v1", deleteUntaggedImage: false, None);
        Assert.Equal([old.Image.Digest], await Untagged());
        Assert.Equal([new ImageListEntry(old.Image.Digest, null)], (await Images.ListImageIdsAsync(web, TagStatusFilter.Untagged, ImageStatusFilter.Active, null, 10, None))!.Items);
    }



    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.IsBlobReferencedAsync))]
    public async Task IsBlobReferenced_sees_only_images_of_that_repository()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        var layer = await LinkAsync(web, "layer");
        await LinkAsync(api, "layer");
        var loose = await LinkAsync(web, "loose");
        var image = Image("manifest");
        await PutAsync(web, image, null, BlobRef(layer));

        Assert.True(await Images.IsBlobReferencedAsync(web, layer.Digest, None));
        Assert.False(await Images.IsBlobReferencedAsync(api, layer.Digest, None));
        Assert.False(await Images.IsBlobReferencedAsync(web, loose.Digest, None));

        await Images.DeleteImageAsync(web, image.Image.Digest, None);
        Assert.False(await Images.IsBlobReferencedAsync(web, layer.Digest, None));
    }
}
