using System.Net;
using System.Text.Json;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Tests.Ecr.EcrJson;

namespace Berth.Tests.Ecr;

/// <summary>ListImages, DescribeImages, BatchGetImage, BatchDeleteImage, referrers and replication status over images pushed through /v2/.</summary>
public sealed class ImageOperationsTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private BerthHost _host = null!;
    private RegistryPusher _push = null!;

    private EcrClient Ecr => _host.Ecr();

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync();
        _push = new RegistryPusher(_host.Client);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListImages_returns_one_entry_per_tag_and_a_digest_only_entry_per_untagged_image()
    {
        await CreateRepositoryAsync("app");
        var tagged = await _push.PushImageAsync("app", "v1", "tagged");
        await _push.PushManifestAsync("app", "latest", tagged.Manifest);
        var untagged = await _push.PushImageAsync("app", null, "untagged");

        var ids = (await Ecr.OkAsync("ListImages", """{"repositoryName":"app"}""")).GetProperty("imageIds").EnumerateArray().ToList();

        Assert.Equal([$"{tagged.Digest}:latest", $"{tagged.Digest}:v1", untagged.Digest], ids.Select(Key));
        Assert.False(ids[2].TryGetProperty("imageTag", out _));
    }

    [Theory]
    [InlineData("TAGGED", 2)]
    [InlineData("UNTAGGED", 1)]
    [InlineData("ANY", 3)]
    public async Task ListImages_filters_by_tagStatus(string tagStatus, int expected)
    {
        await CreateRepositoryAsync("app");
        var tagged = await _push.PushImageAsync("app", "v1", "tagged");
        await _push.PushManifestAsync("app", "v2", tagged.Manifest);
        await _push.PushImageAsync("app", null, "untagged");

        var ids = (await Ecr.OkAsync("ListImages", Of(new { repositoryName = "app", filter = new { tagStatus } }))).GetProperty("imageIds");

        Assert.Equal(expected, ids.GetArrayLength());
        Assert.All(ids.EnumerateArray(), id => Assert.Equal(tagStatus switch
        {
            "TAGGED" => true,
            "UNTAGGED" => false,
            _ => id.GetProperty("imageDigest").GetString() == tagged.Digest,
        }, id.TryGetProperty("imageTag", out _)));
    }

    [Theory]
    [InlineData(1, "ANY", 9)]
    [InlineData(2, "ANY", 9)]
    [InlineData(3, "ANY", 9)]
    [InlineData(5, "ANY", 9)]
    [InlineData(9, "ANY", 9)]
    [InlineData(2, "TAGGED", 5)]
    [InlineData(3, "UNTAGGED", 4)]
    public async Task ListImages_pages_across_the_tagged_to_untagged_boundary_without_gaps_or_duplicates(int pageSize, string tagStatus, int expected)
    {
        await CreateRepositoryAsync("paged");
        var all = await PushTaggedAndUntaggedAsync("paged", tagged: 5, untagged: 4);
        var whole = (await Ecr.OkAsync("ListImages", Of(new { repositoryName = "paged", filter = new { tagStatus } }))).GetProperty("imageIds")
            .EnumerateArray().Select(Key).ToList();

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Ecr.OkAsync("ListImages", Of(new { repositoryName = "paged", maxResults = pageSize, nextToken = token, filter = new { tagStatus } }));
            var ids = page.GetProperty("imageIds");
            Assert.InRange(ids.GetArrayLength(), 1, pageSize);
            seen.AddRange(ids.EnumerateArray().Select(Key));
            token = NextToken(page);
            pages++;
        }
        while (token is not null);

        Assert.Equal(expected, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(whole, seen);
        Assert.Equal((expected + pageSize - 1) / pageSize, pages);
        Assert.Subset(all.ToHashSet(), seen.ToHashSet());
    }

    [Fact]
    public async Task Tagged_and_untagged_listings_stay_consistent_through_tag_moves_and_deletes()
    {
        await CreateRepositoryAsync("moves");
        var a = await _push.PushImageAsync("moves", "t1", "a");
        var b = await _push.PushImageAsync("moves", "t1", "b");
        await AssertListingAsync([$"{b.Digest}:t1"], [a.Digest]);

        await _push.PushManifestAsync("moves", "t1", a.Manifest);
        await _push.PushManifestAsync("moves", "t2", a.Manifest);
        await AssertListingAsync([$"{a.Digest}:t1", $"{a.Digest}:t2"], [b.Digest]);

        using (var deleted = await _host.Client.DeleteAsync("/v2/moves/manifests/t1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        await AssertListingAsync([$"{a.Digest}:t2"], [b.Digest]);

        await Ecr.OkAsync("BatchDeleteImage", Of(new { repositoryName = "moves", imageIds = new[] { Id(tag: "t2") } }));
        await AssertListingAsync([], [b.Digest]);

        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "moves", imageManifest = b.Manifest, imageTag = "t3" }));
        await AssertListingAsync([$"{b.Digest}:t3"], []);

        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "moves", imageManifest = a.Manifest }));
        await AssertListingAsync([$"{b.Digest}:t3"], [a.Digest]);

        async Task AssertListingAsync(string[] tagged, string[] untagged)
        {
            var listedTagged = (await Ecr.OkAsync("ListImages", """{"repositoryName":"moves","filter":{"tagStatus":"TAGGED"}}""")).GetProperty("imageIds").EnumerateArray().Select(Key);
            var listedUntagged = (await Ecr.OkAsync("ListImages", """{"repositoryName":"moves","filter":{"tagStatus":"UNTAGGED"}}""")).GetProperty("imageIds").EnumerateArray().Select(Key);
            var describedUntagged = (await Ecr.OkAsync("DescribeImages", """{"repositoryName":"moves","filter":{"tagStatus":"UNTAGGED"}}""")).GetProperty("imageDetails")
                .EnumerateArray().Select(d => d.GetProperty("imageDigest").GetString());
            var describedTagged = (await Ecr.OkAsync("DescribeImages", """{"repositoryName":"moves","filter":{"tagStatus":"TAGGED"}}""")).GetProperty("imageDetails")
                .EnumerateArray().SelectMany(d => d.GetProperty("imageTags").EnumerateArray().Select(t => $"{d.GetProperty("imageDigest").GetString()}:{t.GetString()}"));
            Assert.Equal(tagged.Order(StringComparer.Ordinal), listedTagged.Order(StringComparer.Ordinal));
            Assert.Equal(tagged.Order(StringComparer.Ordinal), describedTagged.Order(StringComparer.Ordinal));
            Assert.Equal(untagged, listedUntagged);
            Assert.Equal(untagged, describedUntagged);
        }
    }

    [Fact]
    public async Task ListImages_of_an_empty_repository_is_an_empty_list_without_a_token()
    {
        await CreateRepositoryAsync("empty");

        var page = await Ecr.OkAsync("ListImages", """{"repositoryName":"empty","maxResults":1}""");

        Assert.Equal(0, page.GetProperty("imageIds").GetArrayLength());
        Assert.Null(NextToken(page));
    }

    [Fact]
    public async Task ListImages_with_an_invalid_or_foreign_nextToken_is_InvalidParameterException()
    {
        await CreateRepositoryAsync("app");
        await PushTaggedAndUntaggedAsync("app", tagged: 2, untagged: 1);
        var describeToken = NextToken(await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app","maxResults":1}""")) ?? throw new InvalidOperationException("no token");

        await Ecr.FailsAsync("ListImages", """{"repositoryName":"app","nextToken":"not a token!"}""", "InvalidParameterException");
        await Ecr.FailsAsync("ListImages", Of(new { repositoryName = "app", nextToken = describeToken }), "InvalidParameterException");
        await Ecr.FailsAsync("ListImages", Of(new { repositoryName = "app", nextToken = Convert.ToBase64String("v1\nListImages\nx"u8.ToArray()) }), "InvalidParameterException");
    }

    [Fact]
    public async Task ListImages_of_a_missing_repository_is_RepositoryNotFoundException()
    {
        var message = await Ecr.FailsAsync("ListImages", """{"repositoryName":"missing"}""", "RepositoryNotFoundException");
        Assert.Equal($"The repository with name 'missing' does not exist in the registry with id '{Account}'", message);
    }

    [Fact]
    public async Task DescribeImages_reports_every_field_of_a_single_platform_image()
    {
        var pushedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 891, TimeSpan.Zero);
        await using var host = await BerthHost.StartAsync(configureServices: services => services.AddSingleton<TimeProvider>(new FixedTimeProvider(pushedAt)));
        var push = new RegistryPusher(host.Client);
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"team/web"}""");
        var image = await push.PushImageAsync("team/web", "v1", "fields", [100, 250], RegistryPusher.DockerManifest);
        await push.PushManifestAsync("team/web", "latest", image.Manifest, RegistryPusher.DockerManifest);

        var details = (await host.Ecr().OkAsync("DescribeImages", """{"repositoryName":"team/web"}""")).GetProperty("imageDetails");

        var detail = Assert.Single(details.EnumerateArray());
        Assert.Equal(Account, detail.GetProperty("registryId").GetString());
        Assert.Equal("team/web", detail.GetProperty("repositoryName").GetString());
        Assert.Equal(image.Digest, detail.GetProperty("imageDigest").GetString());
        Assert.Equal(["latest", "v1"], detail.GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(350, detail.GetProperty("imageSizeInBytes").GetInt64());
        Assert.Equal(pushedAt.ToUnixTimeMilliseconds() / 1000m, detail.GetProperty("imagePushedAt").GetDecimal());
        Assert.Equal(RegistryPusher.DockerManifest, detail.GetProperty("imageManifestMediaType").GetString());
        Assert.Equal(RegistryPusher.DockerConfig, detail.GetProperty("artifactMediaType").GetString());
        Assert.Equal("ACTIVE", detail.GetProperty("imageStatus").GetString());
        Assert.False(detail.TryGetProperty("lastRecordedPullTime", out _));
        Assert.False(detail.TryGetProperty("subjectManifestDigest", out _));
        Assert.False(detail.TryGetProperty("lastArchivedAt", out _));
    }

    [Fact]
    public async Task DescribeImages_omits_imageTags_of_an_untagged_image()
    {
        await CreateRepositoryAsync("app");
        var untagged = await _push.PushImageAsync("app", null, "untagged");

        var detail = Assert.Single((await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app"}""")).GetProperty("imageDetails").EnumerateArray());

        Assert.Equal(untagged.Digest, detail.GetProperty("imageDigest").GetString());
        Assert.False(detail.TryGetProperty("imageTags", out _));
    }

    [Fact]
    public async Task DescribeImages_sizes_an_index_as_its_largest_child_without_an_artifactMediaType()
    {
        await CreateRepositoryAsync("multi");
        var small = await _push.PushImageAsync("multi", null, "small", [10, 20]);
        var large = await _push.PushImageAsync("multi", null, "large", [300, 400]);
        var index = RegistryPusher.Index([small.AsDescriptor(), large.AsDescriptor()]);
        var indexDigest = await _push.PushManifestAsync("multi", "v1", index, RegistryPusher.OciIndex);

        var detail = await DescribeOneAsync("multi", indexDigest);

        Assert.Equal(700, detail.GetProperty("imageSizeInBytes").GetInt64());
        Assert.Equal(RegistryPusher.OciIndex, detail.GetProperty("imageManifestMediaType").GetString());
        Assert.False(detail.TryGetProperty("artifactMediaType", out _));
        Assert.Equal(30, (await DescribeOneAsync("multi", small.Digest)).GetProperty("imageSizeInBytes").GetInt64());
    }

    [Fact]
    public async Task DescribeImages_sets_lastRecordedPullTime_after_a_v2_manifest_GET()
    {
        await CreateRepositoryAsync("app");
        var image = await _push.PushImageAsync("app", "v1", "pulled");
        var notPulled = await _push.PushImageAsync("app", "v2", "not-pulled");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000m;

        var (status, _, _) = await _push.GetManifestAsync("app", "v1");

        Assert.Equal(HttpStatusCode.OK, status);
        var pulled = (await DescribeOneAsync("app", image.Digest)).GetProperty("lastRecordedPullTime").GetDecimal();
        Assert.InRange(pulled, before - 1, before + 60);
        Assert.False((await DescribeOneAsync("app", notPulled.Digest)).TryGetProperty("lastRecordedPullTime", out _));
    }

    [Fact]
    public async Task DescribeImages_sets_lastRecordedPullTime_after_BatchGetImage()
    {
        await CreateRepositoryAsync("app");
        var image = await _push.PushImageAsync("app", "v1", "pulled");

        await Ecr.OkAsync("BatchGetImage", """{"repositoryName":"app","imageIds":[{"imageTag":"v1"}]}""");

        Assert.Equal(JsonValueKind.Number, (await DescribeOneAsync("app", image.Digest)).GetProperty("lastRecordedPullTime").ValueKind);
    }

    [Fact]
    public async Task DescribeImages_reports_subjectManifestDigest_and_artifactMediaType_of_a_referrer()
    {
        await CreateRepositoryAsync("app");
        var subject = await _push.PushImageAsync("app", "v1", "subject");
        var signature = await _push.PushImageAsync("app", null, "signature", [5], configMediaType: "application/vnd.example.signature.config+json",
            subject: subject.AsDescriptor());

        var detail = await DescribeOneAsync("app", signature.Digest);

        Assert.Equal(subject.Digest, detail.GetProperty("subjectManifestDigest").GetString());
        Assert.Equal("application/vnd.example.signature.config+json", detail.GetProperty("artifactMediaType").GetString());
        Assert.False((await DescribeOneAsync("app", subject.Digest)).TryGetProperty("subjectManifestDigest", out _));
    }

    [Theory]
    [InlineData("TAGGED", 2)]
    [InlineData("UNTAGGED", 1)]
    [InlineData("ANY", 3)]
    public async Task DescribeImages_filters_by_tagStatus(string tagStatus, int expected)
    {
        await CreateRepositoryAsync("app");
        await _push.PushImageAsync("app", "a", "one");
        await _push.PushImageAsync("app", "b", "two");
        await _push.PushImageAsync("app", null, "three");

        var details = (await Ecr.OkAsync("DescribeImages", Of(new { repositoryName = "app", filter = new { tagStatus } }))).GetProperty("imageDetails");

        Assert.Equal(expected, details.GetArrayLength());
        if (tagStatus != "ANY")
        {
            Assert.All(details.EnumerateArray(), d => Assert.Equal(tagStatus == "TAGGED", d.TryGetProperty("imageTags", out _)));
        }
    }

    [Fact]
    public async Task DescribeImages_with_imageIds_returns_each_named_image_once()
    {
        await CreateRepositoryAsync("app");
        var first = await _push.PushImageAsync("app", "v1", "first");
        await _push.PushManifestAsync("app", "latest", first.Manifest);
        var second = await _push.PushImageAsync("app", null, "second");
        await _push.PushImageAsync("app", "other", "third");

        var details = (await Ecr.OkAsync("DescribeImages", Of(new
        {
            repositoryName = "app",
            imageIds = new[] { Id(tag: "v1"), Id(digest: first.Digest), Id(digest: first.Digest, tag: "latest"), Id(digest: second.Digest) },
        }))).GetProperty("imageDetails");

        Assert.Equal([first.Digest, second.Digest], details.EnumerateArray().Select(d => d.GetProperty("imageDigest").GetString()));
        Assert.Equal(["latest", "v1"], details[0].GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task DescribeImages_with_one_missing_imageId_fails_the_whole_call_with_ImageNotFoundException()
    {
        await CreateRepositoryAsync("app");
        await _push.PushImageAsync("app", "v1", "present");
        var absent = "sha256:" + new string('a', 64);

        var byTag = await Ecr.FailsAsync("DescribeImages", Of(new { repositoryName = "app", imageIds = new[] { Id(tag: "v1"), Id(tag: "nope") } }), "ImageNotFoundException");
        var byDigest = await Ecr.FailsAsync("DescribeImages", Of(new { repositoryName = "app", imageIds = new[] { Id(digest: absent) } }), "ImageNotFoundException");

        Assert.Equal($"The image with imageId {{imageDigest:'null', imageTag:'nope'}} does not exist within the repository with name 'app' in the registry with id '{Account}'", byTag);
        Assert.Equal($"The image with imageId {{imageDigest:'{absent}', imageTag:'null'}} does not exist within the repository with name 'app' in the registry with id '{Account}'", byDigest);
    }

    [Fact]
    public async Task DescribeImages_with_imageIds_and_nextToken_or_maxResults_is_InvalidParameterException()
    {
        await CreateRepositoryAsync("app");
        await PushTaggedAndUntaggedAsync("app", tagged: 2, untagged: 0);
        var token = NextToken(await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app","maxResults":1}""")) ?? throw new InvalidOperationException("no token");

        await Ecr.FailsAsync("DescribeImages", Of(new { repositoryName = "app", imageIds = new[] { Id(tag: "t0") }, nextToken = token }), "InvalidParameterException");
        await Ecr.FailsAsync("DescribeImages", Of(new { repositoryName = "app", imageIds = new[] { Id(tag: "t0") }, maxResults = 5 }), "InvalidParameterException");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task DescribeImages_pages_by_maxResults_without_gaps_or_duplicates(int pageSize)
    {
        await CreateRepositoryAsync("paged");
        await PushTaggedAndUntaggedAsync("paged", tagged: 3, untagged: 2);

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await Ecr.OkAsync("DescribeImages", Of(new { repositoryName = "paged", maxResults = pageSize, nextToken = token }));
            var details = page.GetProperty("imageDetails");
            Assert.InRange(details.GetArrayLength(), 1, pageSize);
            seen.AddRange(details.EnumerateArray().Select(d => d.GetProperty("imageDigest").GetString()!));
            token = NextToken(page);
        }
        while (token is not null);

        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Distinct().Count());
        await Ecr.FailsAsync("DescribeImages", """{"repositoryName":"paged","nextToken":"bm9wZQ"}""", "InvalidParameterException");
    }

    [Fact]
    public async Task DescribeImages_of_a_missing_repository_is_RepositoryNotFoundException()
    {
        await Ecr.FailsAsync("DescribeImages", """{"repositoryName":"missing"}""", "RepositoryNotFoundException");
        await Ecr.FailsAsync("DescribeImages", """{"repositoryName":"missing","imageIds":[{"imageTag":"v1"}]}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task BatchGetImage_returns_the_exact_manifest_bytes_by_tag_and_by_digest()
    {
        await CreateRepositoryAsync("app");
        var image = await _push.PushImageAsync("app", "v1", "exact");
        // Whitespace and member order a re-serialiser would change.
        var odd = "{\n  \"layers\" : [ " + RegistryPusher.Describe(image.Layers[0]) + " ],\n\t\"schemaVersion\": 2, \"mediaType\": \""
            + RegistryPusher.OciManifest + "\",\"config\":" + RegistryPusher.Describe(image.Config) + "\n}\n";
        var oddDigest = await _push.PushManifestAsync("app", "odd", odd);

        var result = await Ecr.OkAsync("BatchGetImage", Of(new { repositoryName = "app", imageIds = new[] { Id(tag: "odd"), Id(digest: image.Digest) } }));

        var images = result.GetProperty("images");
        Assert.Equal(0, result.GetProperty("failures").GetArrayLength());
        Assert.Equal(2, images.GetArrayLength());
        Assert.Equal(odd, images[0].GetProperty("imageManifest").GetString());
        Assert.Equal(oddDigest, images[0].GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal("odd", images[0].GetProperty("imageId").GetProperty("imageTag").GetString());
        Assert.Equal(image.Manifest, images[1].GetProperty("imageManifest").GetString());
        Assert.False(images[1].GetProperty("imageId").TryGetProperty("imageTag", out _));
        Assert.Equal(RegistryPusher.OciManifest, images[1].GetProperty("imageManifestMediaType").GetString());
        Assert.Equal(Account, images[1].GetProperty("registryId").GetString());
        Assert.Equal("app", images[1].GetProperty("repositoryName").GetString());
    }

    [Fact]
    public async Task BatchGetImage_reports_each_bad_id_as_a_failure_with_its_code()
    {
        await CreateRepositoryAsync("app");
        var v1 = await _push.PushImageAsync("app", "v1", "one");
        var v2 = await _push.PushImageAsync("app", "v2", "two");

        var result = await Ecr.OkAsync("BatchGetImage", Of(new
        {
            repositoryName = "app",
            imageIds = new[]
            {
                Id(digest: v1.Digest, tag: "v1"),
                Id(digest: v2.Digest, tag: "v1"),
                Id(),
                Id(digest: "not-a-digest"),
                Id(tag: "missing"),
                Id(digest: "sha256:" + new string('b', 64)),
            },
        }));

        Assert.Equal(v1.Digest, Assert.Single(result.GetProperty("images").EnumerateArray()).GetProperty("imageId").GetProperty("imageDigest").GetString());
        var failures = result.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(
            ["ImageTagDoesNotMatchDigest", "MissingDigestAndTag", "InvalidImageDigest", "ImageNotFound", "ImageNotFound"],
            failures.Select(f => f.GetProperty("failureCode").GetString()));
        Assert.Equal("v1", failures[0].GetProperty("imageId").GetProperty("imageTag").GetString());
        Assert.Equal(v2.Digest, failures[0].GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal("Requested image not found", failures[3].GetProperty("failureReason").GetString());
        Assert.Equal("missing", failures[3].GetProperty("imageId").GetProperty("imageTag").GetString());
        Assert.All(failures, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("failureReason").GetString())));
    }

    [Fact]
    public async Task BatchGetImage_returns_only_images_whose_media_type_is_accepted()
    {
        await CreateRepositoryAsync("app");
        await _push.PushImageAsync("app", "oci", "oci");
        await _push.PushImageAsync("app", "docker", "docker", mediaType: RegistryPusher.DockerManifest);

        var result = await Ecr.OkAsync("BatchGetImage", Of(new
        {
            repositoryName = "app",
            imageIds = new[] { Id(tag: "oci"), Id(tag: "docker") },
            acceptedMediaTypes = new[] { RegistryPusher.DockerManifest },
        }));

        var image = Assert.Single(result.GetProperty("images").EnumerateArray());
        Assert.Equal("docker", image.GetProperty("imageId").GetProperty("imageTag").GetString());
        Assert.Equal(RegistryPusher.DockerManifest, image.GetProperty("imageManifestMediaType").GetString());
        var failure = Assert.Single(result.GetProperty("failures").EnumerateArray());
        Assert.Equal("oci", failure.GetProperty("imageId").GetProperty("imageTag").GetString());
    }

    [Fact]
    public async Task BatchGetImage_of_a_missing_repository_is_RepositoryNotFoundException()
    {
        await Ecr.FailsAsync("BatchGetImage", """{"repositoryName":"missing","imageIds":[{"imageTag":"v1"}]}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task BatchDeleteImage_by_digest_deletes_the_image_and_all_its_tags()
    {
        await CreateRepositoryAsync("app");
        var image = await _push.PushImageAsync("app", "v1", "doomed");
        await _push.PushManifestAsync("app", "latest", image.Manifest);
        var kept = await _push.PushImageAsync("app", "kept", "kept");

        var result = await Ecr.OkAsync("BatchDeleteImage", Of(new { repositoryName = "app", imageIds = new[] { Id(digest: image.Digest) } }));

        Assert.Equal(image.Digest, Assert.Single(result.GetProperty("imageIds").EnumerateArray()).GetProperty("imageDigest").GetString());
        Assert.Equal(0, result.GetProperty("failures").GetArrayLength());
        Assert.Equal([$"{kept.Digest}:kept"], await ListKeysAsync("app"));
        Assert.Equal(HttpStatusCode.NotFound, (await _push.GetManifestAsync("app", "latest")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _push.GetManifestAsync("app", image.Digest)).Status);
    }

    [Fact]
    public async Task BatchDeleteImage_by_tag_removes_that_tag_and_the_image_only_with_its_last_tag()
    {
        await CreateRepositoryAsync("app");
        var image = await _push.PushImageAsync("app", "v1", "two-tags");
        await _push.PushManifestAsync("app", "latest", image.Manifest);

        var first = await Ecr.OkAsync("BatchDeleteImage", Of(new { repositoryName = "app", imageIds = new[] { Id(tag: "latest") } }));

        Assert.Equal($"{image.Digest}:latest", Key(Assert.Single(first.GetProperty("imageIds").EnumerateArray())));
        Assert.Equal([$"{image.Digest}:v1"], await ListKeysAsync("app"));
        Assert.Equal(["v1"], (await DescribeOneAsync("app", image.Digest)).GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()));

        await Ecr.OkAsync("BatchDeleteImage", Of(new { repositoryName = "app", imageIds = new[] { Id(tag: "v1") } }));

        Assert.Empty(await ListKeysAsync("app"));
        Assert.Equal(0, (await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app"}""")).GetProperty("imageDetails").GetArrayLength());
    }

    [Fact]
    public async Task BatchDeleteImage_of_a_manifest_list_child_fails_until_the_list_is_deleted()
    {
        await CreateRepositoryAsync("multi");
        var child = await _push.PushImageAsync("multi", "child", "child");
        var index = await _push.PushManifestAsync("multi", "v1", RegistryPusher.Index([child.AsDescriptor()], RegistryPusher.DockerManifestList), RegistryPusher.DockerManifestList);

        var refused = await Ecr.OkAsync("BatchDeleteImage", Of(new { repositoryName = "multi", imageIds = new[] { Id(digest: child.Digest) } }));

        Assert.Equal(0, refused.GetProperty("imageIds").GetArrayLength());
        var failure = Assert.Single(refused.GetProperty("failures").EnumerateArray());
        Assert.Equal("ImageReferencedByManifestList", failure.GetProperty("failureCode").GetString());
        Assert.Equal(child.Digest, failure.GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _push.GetManifestAsync("multi", child.Digest)).Status);

        var deleted = await Ecr.OkAsync("BatchDeleteImage", Of(new { repositoryName = "multi", imageIds = new[] { Id(digest: index), Id(digest: child.Digest) } }));

        Assert.Equal(2, deleted.GetProperty("imageIds").GetArrayLength());
        Assert.Equal(0, deleted.GetProperty("failures").GetArrayLength());
    }

    [Fact]
    public async Task BatchDeleteImage_reports_missing_and_malformed_ids_as_failures_never_as_exceptions()
    {
        await CreateRepositoryAsync("app");
        var v1 = await _push.PushImageAsync("app", "v1", "one");
        var v2 = await _push.PushImageAsync("app", "v2", "two");

        var result = await Ecr.OkAsync("BatchDeleteImage", Of(new
        {
            repositoryName = "app",
            imageIds = new[]
            {
                Id(tag: "missing"),
                Id(digest: "sha256:" + new string('c', 64)),
                Id(digest: "bogus"),
                Id(),
                Id(digest: v2.Digest, tag: "v1"),
                Id(digest: v1.Digest, tag: "v1"),
            },
        }));

        Assert.Equal($"{v1.Digest}:v1", Key(Assert.Single(result.GetProperty("imageIds").EnumerateArray())));
        Assert.Equal(
            ["ImageNotFound", "ImageNotFound", "InvalidImageDigest", "MissingDigestAndTag", "ImageTagDoesNotMatchDigest"],
            result.GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("failureCode").GetString()));
        Assert.Equal([$"{v2.Digest}:v2"], await ListKeysAsync("app"));
    }

    [Fact]
    public async Task BatchDeleteImage_of_a_missing_repository_is_RepositoryNotFoundException()
    {
        await Ecr.FailsAsync("BatchDeleteImage", """{"repositoryName":"missing","imageIds":[{"imageTag":"v1"}]}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task ListImageReferrers_lists_referrers_of_a_subject_filtered_by_artifactType_and_paged()
    {
        await CreateRepositoryAsync("app");
        var subject = await _push.PushImageAsync("app", "v1", "subject");
        var other = await _push.PushImageAsync("app", "v2", "other-subject");
        var referrers = new List<PushedImage>();
        foreach (var (seed, type) in new[] { ("sig1", "application/vnd.example.sig"), ("sig2", "application/vnd.example.sig"), ("sbom", "application/vnd.example.sbom") })
        {
            referrers.Add(await _push.PushImageAsync("app", null, seed, [5], artifactType: type, subject: subject.AsDescriptor(), annotation: seed));
        }

        await _push.PushImageAsync("app", null, "elsewhere", [5], artifactType: "application/vnd.example.sig", subject: other.AsDescriptor());

        var all = (await Ecr.OkAsync("ListImageReferrers", Of(new { repositoryName = "app", subjectId = new { imageDigest = subject.Digest } }))).GetProperty("referrers");
        Assert.Equal(referrers.Select(r => r.Digest).Order(StringComparer.Ordinal), all.EnumerateArray().Select(r => r.GetProperty("digest").GetString()));
        var sbom = all.EnumerateArray().Single(r => r.GetProperty("digest").GetString() == referrers[2].Digest);
        Assert.Equal("application/vnd.example.sbom", sbom.GetProperty("artifactType").GetString());
        Assert.Equal(RegistryPusher.OciManifest, sbom.GetProperty("mediaType").GetString());
        Assert.Equal(referrers[2].AsDescriptor().Size, sbom.GetProperty("size").GetInt64());
        Assert.Equal("sbom", sbom.GetProperty("annotations").GetProperty("org.example.note").GetString());
        Assert.Equal("ACTIVE", sbom.GetProperty("artifactStatus").GetString());

        var sigs = await Ecr.OkAsync("ListImageReferrers", Of(new
        {
            repositoryName = "app",
            subjectId = new { imageDigest = subject.Digest },
            filter = new { artifactTypes = new[] { "application/vnd.example.sig" } },
        }));
        Assert.Equal(2, sigs.GetProperty("referrers").GetArrayLength());

        var first = await Ecr.OkAsync("ListImageReferrers", Of(new { repositoryName = "app", subjectId = new { imageDigest = subject.Digest }, maxResults = 2 }));
        var second = await Ecr.OkAsync("ListImageReferrers", Of(new { repositoryName = "app", subjectId = new { imageDigest = subject.Digest }, maxResults = 2, nextToken = NextToken(first) }));
        Assert.Equal(2, first.GetProperty("referrers").GetArrayLength());
        Assert.Equal(1, second.GetProperty("referrers").GetArrayLength());
        Assert.Null(NextToken(second));
        Assert.Equal(
            all.EnumerateArray().Select(r => r.GetProperty("digest").GetString()),
            first.GetProperty("referrers").EnumerateArray().Concat(second.GetProperty("referrers").EnumerateArray()).Select(r => r.GetProperty("digest").GetString()));

        var none = await Ecr.OkAsync("ListImageReferrers", Of(new { repositoryName = "app", subjectId = new { imageDigest = referrers[0].Digest } }));
        Assert.Equal(0, none.GetProperty("referrers").GetArrayLength());
        await Ecr.FailsAsync("ListImageReferrers", Of(new { repositoryName = "missing", subjectId = new { imageDigest = subject.Digest } }), "RepositoryNotFoundException");
        await Ecr.FailsAsync("ListImageReferrers", Of(new { repositoryName = "app", subjectId = new { imageDigest = subject.Digest }, nextToken = "garbage" }), "InvalidParameterException");
    }

    [Fact]
    public async Task DescribeImageReplicationStatus_of_an_existing_image_has_no_statuses_and_of_a_missing_one_is_ImageNotFoundException()
    {
        await CreateRepositoryAsync("app");
        var image = await _push.PushImageAsync("app", "v1", "replicated");

        var status = await Ecr.OkAsync("DescribeImageReplicationStatus", """{"repositoryName":"app","imageId":{"imageTag":"v1"}}""");

        Assert.Equal("app", status.GetProperty("repositoryName").GetString());
        Assert.Equal(image.Digest, status.GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal("v1", status.GetProperty("imageId").GetProperty("imageTag").GetString());
        Assert.Equal(0, status.GetProperty("replicationStatuses").GetArrayLength());
        await Ecr.FailsAsync("DescribeImageReplicationStatus", """{"repositoryName":"app","imageId":{"imageTag":"v9"}}""", "ImageNotFoundException");
        await Ecr.FailsAsync("DescribeImageReplicationStatus", """{"repositoryName":"missing","imageId":{"imageTag":"v1"}}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task DeleteRepository_with_images_needs_force_and_then_v2_answers_NAME_UNKNOWN()
    {
        await CreateRepositoryAsync("full");
        await _push.PushImageAsync("full", "v1", "content");

        var message = await Ecr.FailsAsync("DeleteRepository", """{"repositoryName":"full"}""", "RepositoryNotEmptyException");
        Assert.Contains("'full'", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _push.GetManifestAsync("full", "v1")).Status);

        var deleted = await Ecr.OkAsync("DeleteRepository", """{"repositoryName":"full","force":true}""");

        Assert.Equal("full", deleted.GetProperty("repository").GetProperty("repositoryName").GetString());
        var (status, body, _) = await _push.GetManifestAsync("full", "v1");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("NAME_UNKNOWN", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        await Ecr.FailsAsync("ListImages", """{"repositoryName":"full"}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task DeleteRepository_of_an_empty_repository_needs_no_force()
    {
        await CreateRepositoryAsync("empty");
        await Ecr.OkAsync("DeleteRepository", """{"repositoryName":"empty"}""");
    }

    private async Task CreateRepositoryAsync(string name, string mutability = "MUTABLE") =>
        await Ecr.OkAsync("CreateRepository", Of(new { repositoryName = name, imageTagMutability = mutability }));

    private async Task<JsonElement> DescribeOneAsync(string repository, string digest) =>
        Assert.Single((await Ecr.OkAsync("DescribeImages", Of(new { repositoryName = repository, imageIds = new[] { Id(digest: digest) } })))
            .GetProperty("imageDetails").EnumerateArray());

    private async Task<List<string>> ListKeysAsync(string repository) =>
        (await Ecr.OkAsync("ListImages", Of(new { repositoryName = repository }))).GetProperty("imageIds").EnumerateArray().Select(Key).ToList();

    /// <summary>Tagged images t0..tN and untagged ones, all over one config and layer; returns their ListImages keys.</summary>
    private async Task<List<string>> PushTaggedAndUntaggedAsync(string repository, int tagged, int untagged)
    {
        var template = await _push.PushImageAsync(repository, null, "template");
        var keys = new List<string>();
        for (var i = 0; i < tagged + untagged; i++)
        {
            var manifest = RegistryPusher.ImageManifest(template.Config, template.Layers, annotation: $"n{i}");
            var tag = i < tagged ? $"t{i}" : null;
            var digest = await _push.PushManifestAsync(repository, tag ?? RegistryPusher.DigestOf(manifest), manifest);
            keys.Add(tag is null ? digest : $"{digest}:{tag}");
        }

        // The template itself is one more untagged image.
        await Ecr.OkAsync("BatchDeleteImage", Of(new { repositoryName = repository, imageIds = new[] { Id(digest: template.Digest) } }));
        return keys;
    }
}
