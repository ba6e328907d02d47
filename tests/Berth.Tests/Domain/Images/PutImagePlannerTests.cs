using Berth.Domain;
using Berth.Domain.Images;

namespace Berth.Tests.Domain.Images;

/// <summary>The put rules every metadata backend executes: outcome, refusals, archive restore and tag counts.</summary>
public sealed class PutImagePlannerTests
{
    private static readonly Digest Image = Digest.Compute("image"u8);
    private static readonly Digest Other = Digest.Compute("other"u8);
    private static readonly Digest Layer = Digest.Compute("layer"u8);
    private static readonly Digest Child = Digest.Compute("child"u8);

    private static readonly PutImageState Empty = new() { RepositoryExists = true };

    [Fact]
    public void A_missing_repository_is_RepositoryNotFound_and_writes_nothing()
    {
        var plan = PutImagePlanner.Plan(Image, "v1", new PutImageState { RepositoryExists = false, TagTarget = Other });

        Assert.Equal(PutImageStatus.RepositoryNotFound, plan.Outcome.Status);
        Assert.True(plan.WritesNothing);
    }

    [Fact]
    public void Missing_blobs_come_before_missing_manifests_and_list_only_blobs_in_order()
    {
        var other = Digest.Compute("other layer"u8);
        var state = Empty with
        {
            MissingReferences = [new(Child, ImageReferenceKind.Manifest), new(Layer, ImageReferenceKind.Blob), new(other, ImageReferenceKind.Blob)],
        };

        var plan = PutImagePlanner.Plan(Image, "v1", state);

        Assert.Equal(PutImageStatus.MissingBlobs, plan.Outcome.Status);
        Assert.Equal([Layer, other], plan.Outcome.Missing);
        Assert.True(plan.WritesNothing);
    }

    [Fact]
    public void Missing_child_manifests_are_MissingManifests_and_write_nothing()
    {
        var plan = PutImagePlanner.Plan(Image, null, Empty with { MissingReferences = [new(Child, ImageReferenceKind.Manifest)] });

        Assert.Equal(PutImageStatus.MissingManifests, plan.Outcome.Status);
        Assert.Equal([Child], plan.Outcome.Missing);
        Assert.True(plan.WritesNothing);
    }

    [Fact]
    public void A_new_image_with_a_new_tag_is_Created_inserted_and_tagged()
    {
        var plan = PutImagePlanner.Plan(Image, "v1", Empty);

        Assert.Equal(PutImageStatus.Created, plan.Outcome.Status);
        Assert.True(plan.InsertImage);
        Assert.True(plan.PointTag);
        Assert.Null(plan.TagLeaves);
        Assert.False(plan.RestoreFromArchive);
    }

    [Fact]
    public void A_new_image_without_a_tag_is_Created_untagged()
    {
        var plan = PutImagePlanner.Plan(Image, null, Empty);

        Assert.Equal(PutImageStatus.Created, plan.Outcome.Status);
        Assert.True(plan.InsertImage);
        Assert.False(plan.PointTag);
    }

    [Fact]
    public void A_stored_image_under_a_new_tag_is_Tagged_without_a_second_insert()
    {
        var plan = PutImagePlanner.Plan(Image, "latest", Empty with { StoredImage = ImageStorageClass.Standard });

        Assert.Equal(PutImageStatus.Tagged, plan.Outcome.Status);
        Assert.False(plan.InsertImage);
        Assert.True(plan.PointTag);
        Assert.Null(plan.TagLeaves);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData(null)]
    public void The_same_image_and_tag_again_is_Unchanged_and_writes_nothing(string? tag)
    {
        var plan = PutImagePlanner.Plan(Image, tag, Empty with { StoredImage = ImageStorageClass.Standard, TagTarget = tag is null ? null : Image });

        Assert.Equal(PutImageStatus.Unchanged, plan.Outcome.Status);
        Assert.True(plan.WritesNothing);
    }

    [Fact]
    public void Moving_a_mutable_tag_is_TagMoved_and_takes_one_tag_from_the_image_it_leaves()
    {
        var plan = PutImagePlanner.Plan(Image, "latest", Empty with { TagTarget = Other });

        Assert.Equal(PutImageStatus.TagMoved, plan.Outcome.Status);
        Assert.Equal(Other, plan.Outcome.PreviousDigest);
        Assert.Equal(Other, plan.TagLeaves);
        Assert.True(plan.PointTag);
        Assert.True(plan.InsertImage);
    }

    [Fact]
    public void Moving_a_tag_onto_a_stored_image_is_TagMoved_without_an_insert()
    {
        var plan = PutImagePlanner.Plan(Image, "latest", Empty with { TagTarget = Other, StoredImage = ImageStorageClass.Standard });

        Assert.Equal(PutImageStatus.TagMoved, plan.Outcome.Status);
        Assert.False(plan.InsertImage);
        Assert.True(plan.PointTag);
    }

    [Theory]
    [InlineData(TagMutability.Immutable, "latest", true)]
    [InlineData(TagMutability.Mutable, "latest", false)]
    [InlineData(TagMutability.ImmutableWithExclusion, "latest", false)]
    [InlineData(TagMutability.ImmutableWithExclusion, "dev-42", false)]
    [InlineData(TagMutability.ImmutableWithExclusion, "v1", true)]
    [InlineData(TagMutability.MutableWithExclusion, "dev-42", true)]
    [InlineData(TagMutability.MutableWithExclusion, "v1", false)]
    public void A_tag_that_points_elsewhere_moves_only_when_mutable_under_the_filters(TagMutability mode, string tag, bool refused)
    {
        var state = Empty with { Mutability = mode, MutabilityExclusionFilters = ["latest", "dev-*"], TagTarget = Other };

        var plan = PutImagePlanner.Plan(Image, tag, state);

        Assert.Equal(refused ? PutImageStatus.ImmutableTag : PutImageStatus.TagMoved, plan.Outcome.Status);
        Assert.Equal(refused, plan.WritesNothing);
    }

    [Fact]
    public void Immutability_does_not_refuse_a_tag_already_on_the_image_or_a_new_tag()
    {
        var immutable = Empty with { Mutability = TagMutability.Immutable, StoredImage = ImageStorageClass.Standard };

        Assert.Equal(PutImageStatus.Unchanged, PutImagePlanner.Plan(Image, "v1", immutable with { TagTarget = Image }).Outcome.Status);
        Assert.Equal(PutImageStatus.Tagged, PutImagePlanner.Plan(Image, "stable", immutable).Outcome.Status);
    }

    [Fact]
    public void Pushing_an_archived_image_again_restores_it()
    {
        var plan = PutImagePlanner.Plan(Image, null, Empty with { StoredImage = ImageStorageClass.Archive });

        Assert.Equal(PutImageStatus.Unchanged, plan.Outcome.Status);
        Assert.True(plan.RestoreFromArchive);
        Assert.False(plan.InsertImage);
        Assert.False(plan.WritesNothing);
    }

    [Fact]
    public void Tagging_an_archived_image_restores_and_tags_it()
    {
        var plan = PutImagePlanner.Plan(Image, "v2", Empty with { StoredImage = ImageStorageClass.Archive, TagTarget = Other });

        Assert.Equal(PutImageStatus.TagMoved, plan.Outcome.Status);
        Assert.True(plan.RestoreFromArchive);
        Assert.True(plan.PointTag);
        Assert.Equal(Other, plan.TagLeaves);
    }

    [Fact]
    public void A_refused_push_of_an_archived_image_does_not_restore_it()
    {
        var state = Empty with { Mutability = TagMutability.Immutable, StoredImage = ImageStorageClass.Archive, TagTarget = Other };

        var plan = PutImagePlanner.Plan(Image, "v1", state);

        Assert.Equal(PutImageStatus.ImmutableTag, plan.Outcome.Status);
        Assert.False(plan.RestoreFromArchive);
    }
}
