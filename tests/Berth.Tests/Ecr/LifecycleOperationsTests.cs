using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Collection;
using Berth.Domain.Lifecycle;
using Berth.Tests.Storage;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Ecr;

/// <summary>
/// The lifecycle operations over the wire, with images pushed through /v2/ on a clock the tests move: policies,
/// previews, runs, archive and restore, and garbage collection of what a run expired.
/// </summary>
public sealed class LifecycleOperationsTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private const string Repo = "app";

    /// <summary>Keep the two newest v* images; archive untagged images not pulled for 90 days.</summary>
    private const string Policy = """
        {"rules":[
          {"rulePriority":1,"description":"keep the two newest v* images",
           "selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":2},
           "action":{"type":"expire"}},
          {"rulePriority":2,"description":"archive untagged images nobody pulled for 90 days",
           "selection":{"tagStatus":"untagged","countType":"sinceImagePulled","countUnit":"days","countNumber":90},
           "action":{"type":"transition","targetStorageClass":"archive"}}]}
        """;

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(Start);
    private readonly byte[] _baseLayer = RandomNumberGenerator.GetBytes(4096);
    private BerthHost _host = null!;

    private EcrClient Ecr => _host.Ecr();

    private V2Pusher Pusher => new(_host.Client, Repo);

    private LifecycleService Lifecycle => _host.Services.GetRequiredService<LifecycleService>();

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync(configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        await Ecr.OkAsync("CreateRepository", $$"""{"repositoryName":"{{Repo}}"}""");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Str(string value) => "\"" + JsonEncodedText.Encode(value).Value + "\"";

    private static string WithPolicy(string text, string repository = Repo) =>
        $$"""{"repositoryName":"{{repository}}","lifecyclePolicyText":{{Str(text)}}}""";

    private static double Epoch(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>
    /// a[v1], b[v2], c[untagged], d[v3], e[v4], g[latest] a minute apart, then 100 days later f[v5]; every image
    /// shares one base layer. Under <see cref="Policy"/>: a, b, d expire (rule 1), c is archived (rule 2).
    /// </summary>
    private async Task<Dictionary<string, V2Image>> PushScenarioAsync()
    {
        var images = new Dictionary<string, V2Image>();
        foreach (var (name, tag) in new (string Name, string? Tag)[] { ("a", "v1"), ("b", "v2"), ("c", null), ("d", "v3"), ("e", "v4"), ("g", "latest") })
        {
            images[name] = await Pusher.PushImageAsync(tag, _baseLayer);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        _clock.Advance(TimeSpan.FromDays(100));
        images["f"] = await Pusher.PushImageAsync("v5", _baseLayer);
        return images;
    }

    private async Task<JsonElement> StartPreviewAsync(string? text = null)
    {
        var started = await Ecr.OkAsync("StartLifecyclePolicyPreview", text is null ? $$"""{"repositoryName":"{{Repo}}"}""" : WithPolicy(text));
        Assert.Equal("IN_PROGRESS", started.GetProperty("status").GetString());
        return started;
    }

    /// <summary>Polls GetLifecyclePolicyPreview, as the SDK waiter does, until it leaves IN_PROGRESS.</summary>
    private async Task<JsonElement> WaitForPreviewAsync(string request = $$"""{"repositoryName":"{{Repo}}"}""")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var preview = await Ecr.OkAsync("GetLifecyclePolicyPreview", request);
            if (preview.GetProperty("status").GetString() != "IN_PROGRESS")
            {
                return preview;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private static HashSet<string> Digests(JsonElement results) =>
        [.. results.EnumerateArray().Select(r => r.GetProperty("imageDigest").GetString()!)];

    private async Task<HashSet<string>> DescribedDigestsAsync(string imageStatus)
    {
        var described = await Ecr.OkAsync("DescribeImages", $"{{\"repositoryName\":\"{Repo}\",\"filter\":{{\"imageStatus\":\"{imageStatus}\"}}}}");
        return Digests(described.GetProperty("imageDetails"));
    }

    private async Task<JsonElement> DescribeAsync(string digest) =>
        (await Ecr.OkAsync("DescribeImages", $$"""{"repositoryName":"{{Repo}}","imageIds":[{"imageDigest":"{{digest}}"}]}""")).GetProperty("imageDetails")[0];

    // Put / Get / Delete.

    [Fact]
    public async Task PutLifecyclePolicy_and_GetLifecyclePolicy_return_the_text_byte_for_byte()
    {
        const string text = "  {\n\t\"rules\" : [ {\"rulePriority\": 7, \"description\": \"caf\u00e9 \\u00e9 \\\"quoted\\\"\",\r\n"
            + "   \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 3},\n"
            + "   \"action\": {\"type\": \"expire\"} } ]\n}\n\n";

        var put = await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(text));
        var got = await Ecr.OkAsync("GetLifecyclePolicy", $$"""{"repositoryName":"{{Repo}}"}""");

        Assert.Equal(Account, put.GetProperty("registryId").GetString());
        Assert.Equal(Repo, put.GetProperty("repositoryName").GetString());
        Assert.Equal(text, put.GetProperty("lifecyclePolicyText").GetString());
        Assert.Equal(text, got.GetProperty("lifecyclePolicyText").GetString());
        Assert.Equal(Account, got.GetProperty("registryId").GetString());
        Assert.Equal(0, got.GetProperty("lastEvaluatedAt").GetDouble());
    }

    [Fact]
    public async Task PutLifecyclePolicy_replaces_the_policy_and_DeleteLifecyclePolicy_returns_and_removes_it()
    {
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        var replacement = Policy.Replace("\"countNumber\":2", "\"countNumber\":5", StringComparison.Ordinal);
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(replacement));

        var deleted = await Ecr.OkAsync("DeleteLifecyclePolicy", $$"""{"repositoryName":"{{Repo}}"}""");

        Assert.Equal(replacement, deleted.GetProperty("lifecyclePolicyText").GetString());
        Assert.Equal(Repo, deleted.GetProperty("repositoryName").GetString());
        await Ecr.FailsAsync("GetLifecyclePolicy", $$"""{"repositoryName":"{{Repo}}"}""", "LifecyclePolicyNotFoundException");
    }

    [Theory]
    [InlineData(
        """{"rules":[{"rulePriority":1,"description":"tagged rule without a list","selection":{"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}""",
        "rule 1: tagStatus tagged requires exactly one of tagPatternList or tagPrefixList")]
    [InlineData(
        """{"rules":[{"rulePriority":1,"description":"a count of zero is below the minimum","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0},"action":{"type":"expire"}}]}""",
        "numeric instance is lower than the required minimum (minimum: 1, found: 0)",
        "rule 1 (rulePriority 1), field selection.countNumber")]
    [InlineData(
        """{"rules":[{"rulePriority":1,"description":"days on a count rule","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}""",
        "instance failed to match exactly one schema (matched 0 out of 2)",
        "rule 1 (rulePriority 1), field selection.countUnit")]
    [InlineData(
        """{"rules":[{"rulePriority":1,"description":"an unknown property","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}],"foo":1}""",
        "object instance has properties which are not allowed by the schema: ([\"foo\"])")]
    [InlineData(
        "this is not JSON at all, but it is long enough to pass the length constraint of the service model, honestly",
        "Could not map policyString into LifecyclePolicy.")]
    public async Task PutLifecyclePolicy_rejects_an_invalid_policy_with_ECRs_validation_message(string text, string detail, string? location = null)
    {
        var message = await Ecr.FailsAsync("PutLifecyclePolicy", WithPolicy(text), "InvalidParameterException");

        // ECR's message, then where in the policy the failure is when it lies inside one rule.
        Assert.Equal(
            $"Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: {detail}'"
            + (location is null ? string.Empty : $" (in {location})"),
            message);
        await Ecr.FailsAsync("GetLifecyclePolicy", $$"""{"repositoryName":"{{Repo}}"}""", "LifecyclePolicyNotFoundException");
    }

    [Fact]
    public async Task PutLifecyclePolicy_with_text_shorter_than_100_characters_fails_the_model_constraint()
    {
        const string text = """{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}""";
        var tooShort = text.Replace("\"rulePriority\":1,", string.Empty, StringComparison.Ordinal)[..99];

        var message = await Ecr.FailsAsync("PutLifecyclePolicy", WithPolicy(tooShort), "InvalidParameterException");

        Assert.StartsWith("Invalid parameter at '", message, StringComparison.Ordinal);
        Assert.Contains("failed to satisfy constraint: 'Member must have length greater than or equal to 100'", message, StringComparison.Ordinal);
        await Ecr.FailsAsync("StartLifecyclePolicyPreview", WithPolicy(tooShort), "InvalidParameterException");
    }

    [Fact]
    public async Task GetLifecyclePolicy_and_DeleteLifecyclePolicy_without_a_policy_are_LifecyclePolicyNotFoundException()
    {
        const string expected = "Lifecycle policy does not exist for the repository with name 'app' in the registry with id '123456789012'";

        Assert.Equal(expected, await Ecr.FailsAsync("GetLifecyclePolicy", """{"repositoryName":"app"}""", "LifecyclePolicyNotFoundException"));
        Assert.Equal(expected, await Ecr.FailsAsync("DeleteLifecyclePolicy", """{"repositoryName":"app"}""", "LifecyclePolicyNotFoundException"));
    }

    [Fact]
    public async Task Every_lifecycle_operation_on_an_unknown_repository_is_RepositoryNotFoundException()
    {
        const string missing = """{"repositoryName":"missing"}""";
        await Ecr.FailsAsync("PutLifecyclePolicy", WithPolicy(Policy, "missing"), "RepositoryNotFoundException");
        await Ecr.FailsAsync("GetLifecyclePolicy", missing, "RepositoryNotFoundException");
        await Ecr.FailsAsync("DeleteLifecyclePolicy", missing, "RepositoryNotFoundException");
        await Ecr.FailsAsync("StartLifecyclePolicyPreview", missing, "RepositoryNotFoundException");
        await Ecr.FailsAsync("StartLifecyclePolicyPreview", WithPolicy(Policy, "missing"), "RepositoryNotFoundException");
        await Ecr.FailsAsync("GetLifecyclePolicyPreview", missing, "RepositoryNotFoundException");
        await Ecr.FailsAsync(
            "UpdateImageStorageClass",
            """{"repositoryName":"missing","imageId":{"imageTag":"v1"},"targetStorageClass":"ARCHIVE"}""",
            "RepositoryNotFoundException");
    }

    [Fact]
    public async Task LastEvaluatedAt_is_the_epoch_until_a_lifecycle_run_sets_it_and_Delete_answers_it_too()
    {
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        Assert.Equal(0, (await Ecr.OkAsync("GetLifecyclePolicy", """{"repositoryName":"app"}""")).GetProperty("lastEvaluatedAt").GetDouble());

        _clock.Advance(TimeSpan.FromHours(3));
        var reports = await Lifecycle.RunAllAsync(null, CancellationToken.None);

        Assert.Equal(Repo, Assert.Single(reports).Repository.Name);
        var policy = await Ecr.OkAsync("GetLifecyclePolicy", """{"repositoryName":"app"}""");
        Assert.Equal(Epoch(_clock.GetUtcNow()), policy.GetProperty("lastEvaluatedAt").GetDouble(), 3);
        var deleted = await Ecr.OkAsync("DeleteLifecyclePolicy", """{"repositoryName":"app"}""");
        Assert.Equal(Epoch(_clock.GetUtcNow()), deleted.GetProperty("lastEvaluatedAt").GetDouble(), 3);

        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        Assert.Equal(0, (await Ecr.OkAsync("DeleteLifecyclePolicy", """{"repositoryName":"app"}""")).GetProperty("lastEvaluatedAt").GetDouble());
    }

    // Previews.

    [Fact]
    public async Task GetLifecyclePolicyPreview_before_any_preview_is_LifecyclePolicyPreviewNotFoundException()
    {
        var message = await Ecr.FailsAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app"}""", "LifecyclePolicyPreviewNotFoundException");

        Assert.Equal("There is no dry run for the repository with name 'app' in the registry with id '123456789012'", message);
    }

    [Fact]
    public async Task StartLifecyclePolicyPreview_without_a_stored_or_supplied_policy_is_LifecyclePolicyNotFoundException()
    {
        await Ecr.FailsAsync("StartLifecyclePolicyPreview", """{"repositoryName":"app"}""", "LifecyclePolicyNotFoundException");
        await Ecr.FailsAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app"}""", "LifecyclePolicyPreviewNotFoundException");
    }

    [Fact]
    public async Task StartLifecyclePolicyPreview_validates_supplied_text_like_PutLifecyclePolicy()
    {
        var invalid = Policy.Replace("\"countNumber\":2", "\"countNumber\":0", StringComparison.Ordinal);

        var message = await Ecr.FailsAsync("StartLifecyclePolicyPreview", WithPolicy(invalid), "InvalidParameterException");

        Assert.Equal(
            "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: numeric instance is lower than the required minimum (minimum: 1, found: 0)'"
            + " (in rule 1 (rulePriority 1), field selection.countNumber)",
            message);
        await Ecr.FailsAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app"}""", "LifecyclePolicyPreviewNotFoundException");
    }

    [Fact]
    public async Task StartLifecyclePolicyPreview_while_a_preview_is_in_progress_is_LifecyclePolicyPreviewInProgressException()
    {
        // A preview that is still evaluating, held IN_PROGRESS at the store so the test does not race the evaluation.
        var store = _host.Services.GetRequiredService<IMetadataStore>();
        var repository = new RepositoryKey(Account, "us-east-1", Repo);
        Assert.Equal(
            PreviewStartOutcome.Started,
            await store.Lifecycle.StartPreviewAsync(repository, Policy, _clock.GetUtcNow(), LifecycleService.StalePreview, CancellationToken.None));

        var message = await Ecr.FailsAsync("StartLifecyclePolicyPreview", WithPolicy(Policy), "LifecyclePolicyPreviewInProgressException");
        var running = await Ecr.OkAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app"}""");

        Assert.Equal(
            "The previous lifecycle policy preview request has not completed for the repository with name 'app' in the registry with id '123456789012'. Please try again later.",
            message);
        Assert.Equal("IN_PROGRESS", running.GetProperty("status").GetString());
        Assert.Equal(Policy, running.GetProperty("lifecyclePolicyText").GetString());
        Assert.False(running.TryGetProperty("summary", out _));
        Assert.False(running.TryGetProperty("nextToken", out _));

        // One left IN_PROGRESS by a crash does not block previews forever.
        _clock.Advance(LifecycleService.StalePreview + TimeSpan.FromSeconds(1));
        await StartPreviewAsync(Policy);
        Assert.Equal("COMPLETE", (await WaitForPreviewAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Preview_of_the_stored_policy_completes_with_each_result_and_the_summary()
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));

        var started = await StartPreviewAsync();
        var preview = await WaitForPreviewAsync();

        Assert.Equal(Policy, started.GetProperty("lifecyclePolicyText").GetString());
        Assert.Equal(Account, started.GetProperty("registryId").GetString());
        Assert.Equal(Repo, started.GetProperty("repositoryName").GetString());
        Assert.Equal("COMPLETE", preview.GetProperty("status").GetString());
        Assert.Equal(Policy, preview.GetProperty("lifecyclePolicyText").GetString());
        Assert.False(preview.TryGetProperty("nextToken", out _));
        var results = preview.GetProperty("previewResults");
        Assert.Equal(new HashSet<string> { images["a"].Digest, images["b"].Digest, images["d"].Digest, images["c"].Digest }, Digests(results));

        var a = results.EnumerateArray().Single(r => r.GetProperty("imageDigest").GetString() == images["a"].Digest);
        Assert.Equal(new[] { "v1" }, a.GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal(Epoch(Start), a.GetProperty("imagePushedAt").GetDouble(), 3);
        Assert.Equal("EXPIRE", a.GetProperty("action").GetProperty("type").GetString());
        Assert.False(a.GetProperty("action").TryGetProperty("targetStorageClass", out _));
        Assert.Equal(1, a.GetProperty("appliedRulePriority").GetInt32());
        Assert.Equal("STANDARD", a.GetProperty("storageClass").GetString());

        var c = results.EnumerateArray().Single(r => r.GetProperty("imageDigest").GetString() == images["c"].Digest);
        Assert.False(c.TryGetProperty("imageTags", out _));
        Assert.Equal(Epoch(Start.AddMinutes(2)), c.GetProperty("imagePushedAt").GetDouble(), 3);
        Assert.Equal("TRANSITION", c.GetProperty("action").GetProperty("type").GetString());
        Assert.Equal("ARCHIVE", c.GetProperty("action").GetProperty("targetStorageClass").GetString());
        Assert.Equal(2, c.GetProperty("appliedRulePriority").GetInt32());
        Assert.Equal("STANDARD", c.GetProperty("storageClass").GetString());

        var summary = preview.GetProperty("summary");
        Assert.Equal(3, summary.GetProperty("expiringImageTotalCount").GetInt32());
        var transitioning = Assert.Single(summary.GetProperty("transitioningImageTotalCounts").EnumerateArray());
        Assert.Equal("ARCHIVE", transitioning.GetProperty("targetStorageClass").GetString());
        Assert.Equal(1, transitioning.GetProperty("imageTotalCount").GetInt32());
    }

    [Fact]
    public async Task Preview_of_supplied_text_uses_it_without_storing_it()
    {
        var images = await PushScenarioAsync();
        var expireOnly = Policy[..Policy.IndexOf(",\n  {\"rulePriority\":2", StringComparison.Ordinal)] + "]}";

        var started = await StartPreviewAsync(expireOnly);
        var preview = await WaitForPreviewAsync();

        Assert.Equal(expireOnly, started.GetProperty("lifecyclePolicyText").GetString());
        Assert.Equal(expireOnly, preview.GetProperty("lifecyclePolicyText").GetString());
        Assert.Equal(new HashSet<string> { images["a"].Digest, images["b"].Digest, images["d"].Digest }, Digests(preview.GetProperty("previewResults")));
        Assert.False(preview.GetProperty("summary").TryGetProperty("transitioningImageTotalCounts", out _));
        await Ecr.FailsAsync("GetLifecyclePolicy", """{"repositoryName":"app"}""", "LifecyclePolicyNotFoundException");
    }

    [Theory]
    [InlineData("TAGGED", "a,b,d")]
    [InlineData("UNTAGGED", "c")]
    [InlineData("ANY", "a,b,c,d")]
    public async Task Preview_tagStatus_filter_restricts_the_results_but_not_the_summary(string tagStatus, string expected)
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        await StartPreviewAsync();
        await WaitForPreviewAsync();

        var preview = await Ecr.OkAsync("GetLifecyclePolicyPreview", $"{{\"repositoryName\":\"app\",\"filter\":{{\"tagStatus\":\"{tagStatus}\"}}}}");

        Assert.Equal(expected.Split(',').Select(name => images[name].Digest).ToHashSet(), Digests(preview.GetProperty("previewResults")));
        Assert.Equal(3, preview.GetProperty("summary").GetProperty("expiringImageTotalCount").GetInt32());
        Assert.Equal(1, preview.GetProperty("summary").GetProperty("transitioningImageTotalCounts")[0].GetProperty("imageTotalCount").GetInt32());
    }

    [Fact]
    public async Task Preview_imageIds_restrict_the_results_and_cannot_be_combined_with_paging()
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        await StartPreviewAsync();
        await WaitForPreviewAsync();

        // v5 (f) is kept, so it has no result; a tag and a digest both name images.
        var preview = await Ecr.OkAsync("GetLifecyclePolicyPreview", $$"""
            {"repositoryName":"app","imageIds":[{"imageTag":"v1"},{"imageDigest":"{{images["c"].Digest}}"},{"imageTag":"v5"}]}
            """);

        Assert.Equal(new HashSet<string> { images["a"].Digest, images["c"].Digest }, Digests(preview.GetProperty("previewResults")));
        Assert.Equal(3, preview.GetProperty("summary").GetProperty("expiringImageTotalCount").GetInt32());
        var first = await Ecr.OkAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app","maxResults":1}""");
        var token = first.GetProperty("nextToken").GetString();
        await Ecr.FailsAsync(
            "GetLifecyclePolicyPreview", $$"""{"repositoryName":"app","imageIds":[{"imageTag":"v1"}],"nextToken":"{{token}}"}""", "InvalidParameterException");
        await Ecr.FailsAsync(
            "GetLifecyclePolicyPreview", """{"repositoryName":"app","imageIds":[{"imageTag":"v1"}],"maxResults":5}""", "InvalidParameterException");
    }

    [Fact]
    public async Task Preview_pages_with_maxResults_and_nextToken_through_every_result_once()
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        await StartPreviewAsync();
        var whole = Digests((await WaitForPreviewAsync()).GetProperty("previewResults"));

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = token is null
                ? """{"repositoryName":"app","maxResults":3}"""
                : $$"""{"repositoryName":"app","maxResults":3,"nextToken":"{{token}}"}""";
            var page = await Ecr.OkAsync("GetLifecyclePolicyPreview", request);
            seen.AddRange(page.GetProperty("previewResults").EnumerateArray().Select(r => r.GetProperty("imageDigest").GetString()!));
            Assert.Equal(3, page.GetProperty("summary").GetProperty("expiringImageTotalCount").GetInt32());
            token = page.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(2, pages);
        Assert.Equal(4, seen.Count);
        Assert.Equal(whole, seen.ToHashSet());
        await Ecr.FailsAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app","nextToken":"not-a-token"}""", "InvalidParameterException");
        await Ecr.FailsAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app","maxResults":0}""", "InvalidParameterException");
        await Ecr.FailsAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app","maxResults":101}""", "InvalidParameterException");
    }

    [Fact]
    public async Task Preview_reports_EXPIRED_once_LifecyclePreviewLifetime_has_passed()
    {
        await PushScenarioAsync();
        await StartPreviewAsync(Policy);
        Assert.Equal("COMPLETE", (await WaitForPreviewAsync()).GetProperty("status").GetString());

        _clock.Advance(_host.Options.LifecyclePreviewLifetime);
        Assert.Equal("COMPLETE", (await Ecr.OkAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app"}""")).GetProperty("status").GetString());
        _clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await Ecr.OkAsync("GetLifecyclePolicyPreview", """{"repositoryName":"app"}""");

        Assert.Equal("EXPIRED", expired.GetProperty("status").GetString());
        Assert.Equal(Policy, expired.GetProperty("lifecyclePolicyText").GetString());
        Assert.Equal(0, expired.GetProperty("previewResults").GetArrayLength());
        await StartPreviewAsync(Policy);
        Assert.Equal("COMPLETE", (await WaitForPreviewAsync()).GetProperty("status").GetString());
    }

    // Runs, archive and restore.

    [Fact]
    public async Task Lifecycle_run_expires_exactly_the_previewed_images_and_archives_the_transitioned_ones()
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        await StartPreviewAsync();
        var results = (await WaitForPreviewAsync()).GetProperty("previewResults").EnumerateArray().ToList();
        var expiring = results.Where(r => r.GetProperty("action").GetProperty("type").GetString() == "EXPIRE")
            .Select(r => r.GetProperty("imageDigest").GetString()!).ToHashSet();
        var transitioning = results.Where(r => r.GetProperty("action").GetProperty("type").GetString() == "TRANSITION")
            .Select(r => r.GetProperty("imageDigest").GetString()!).ToHashSet();
        var before = await DescribedDigestsAsync("ANY");

        var report = Assert.Single(await Lifecycle.RunAllAsync(null, CancellationToken.None));

        Assert.Equal((3, 1), (report.Expired, report.Transitioned));
        Assert.Equal(before.Except(expiring).ToHashSet(), await DescribedDigestsAsync("ANY"));
        Assert.Equal(transitioning, await DescribedDigestsAsync("ARCHIVED"));
        Assert.Equal(new HashSet<string> { images["e"].Digest, images["f"].Digest, images["g"].Digest }, await DescribedDigestsAsync("ACTIVE"));
        foreach (var digest in expiring)
        {
            Assert.Equal(HttpStatusCode.NotFound, await Pusher.GetManifestStatusAsync(digest));
        }

        // Applying the policy again finds nothing more to do.
        var again = await Lifecycle.RunAsync(report.Repository, CancellationToken.None);
        Assert.Equal((0, 0), (again.Expired, again.Transitioned));
    }

    [Fact]
    public async Task An_archived_image_cannot_be_pulled_and_is_described_only_under_ARCHIVED_or_ANY()
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        var archivedAt = _clock.GetUtcNow();
        await Lifecycle.RunAllAsync(null, CancellationToken.None);
        var c = images["c"].Digest;

        Assert.Equal(HttpStatusCode.NotFound, await Pusher.GetManifestStatusAsync(c));
        var got = await Ecr.OkAsync("BatchGetImage", $$"""{"repositoryName":"app","imageIds":[{"imageDigest":"{{c}}"},{"imageTag":"v5"}]}""");
        Assert.Equal(images["f"].Digest, Assert.Single(got.GetProperty("images").EnumerateArray()).GetProperty("imageId").GetProperty("imageDigest").GetString());
        var failure = Assert.Single(got.GetProperty("failures").EnumerateArray());
        Assert.Equal("ImageInaccessible", failure.GetProperty("failureCode").GetString());
        Assert.Equal(c, failure.GetProperty("imageId").GetProperty("imageDigest").GetString());

        Assert.DoesNotContain(c, await DescribedDigestsAsync("ACTIVE"));
        var byDefault = await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app"}""");
        Assert.DoesNotContain(c, Digests(byDefault.GetProperty("imageDetails")));
        Assert.Contains(c, await DescribedDigestsAsync("ANY"));
        var archived = Assert.Single((await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app","filter":{"imageStatus":"ARCHIVED"}}""")).GetProperty("imageDetails").EnumerateArray());
        Assert.Equal(c, archived.GetProperty("imageDigest").GetString());
        Assert.Equal("ARCHIVED", archived.GetProperty("imageStatus").GetString());
        Assert.Equal(Epoch(archivedAt), archived.GetProperty("lastArchivedAt").GetDouble(), 3);
        Assert.False(archived.TryGetProperty("lastActivatedAt", out _));
    }

    [Fact]
    public async Task UpdateImageStorageClass_STANDARD_restores_an_archived_image_and_ARCHIVE_archives_it_again()
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        await Lifecycle.RunAllAsync(null, CancellationToken.None);
        var c = images["c"].Digest;
        _clock.Advance(TimeSpan.FromHours(5));

        var restored = await Ecr.OkAsync("UpdateImageStorageClass", $$"""{"repositoryName":"app","imageId":{"imageDigest":"{{c}}"},"targetStorageClass":"STANDARD"}""");

        Assert.Equal("ACTIVE", restored.GetProperty("imageStatus").GetString());
        Assert.Equal(c, restored.GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal(Account, restored.GetProperty("registryId").GetString());
        Assert.Equal(HttpStatusCode.OK, await Pusher.GetManifestStatusAsync(c));
        var got = await Ecr.OkAsync("BatchGetImage", $$"""{"repositoryName":"app","imageIds":[{"imageDigest":"{{c}}"}]}""");
        Assert.Equal(0, got.GetProperty("failures").GetArrayLength());
        var detail = await DescribeAsync(c);
        Assert.Equal("ACTIVE", detail.GetProperty("imageStatus").GetString());
        Assert.Equal(Epoch(_clock.GetUtcNow()), detail.GetProperty("lastActivatedAt").GetDouble(), 3);
        Assert.Contains(c, await DescribedDigestsAsync("ACTIVE"));

        var archived = await Ecr.OkAsync("UpdateImageStorageClass", """{"repositoryName":"app","imageId":{"imageTag":"v5"},"targetStorageClass":"ARCHIVE"}""");
        Assert.Equal("ARCHIVED", archived.GetProperty("imageStatus").GetString());
        Assert.Equal("v5", archived.GetProperty("imageId").GetProperty("imageTag").GetString());
        Assert.Equal(HttpStatusCode.NotFound, await Pusher.GetManifestStatusAsync("v5"));
        Assert.Equal(HttpStatusCode.NotFound, await Pusher.GetManifestStatusAsync(images["f"].Digest));
        await Ecr.FailsAsync(
            "UpdateImageStorageClass", """{"repositoryName":"app","imageId":{"imageTag":"nope"},"targetStorageClass":"ARCHIVE"}""", "ImageNotFoundException");
    }

    [Fact]
    public async Task Pushing_an_archived_image_again_restores_it()
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        await Lifecycle.RunAllAsync(null, CancellationToken.None);
        var c = images["c"];
        Assert.Equal("ARCHIVED", (await DescribeAsync(c.Digest)).GetProperty("imageStatus").GetString());
        _clock.Advance(TimeSpan.FromMinutes(30));

        await Pusher.PushAgainAsync(c, "rebuilt");

        Assert.Equal(HttpStatusCode.OK, await Pusher.GetManifestStatusAsync(c.Digest));
        var detail = await DescribeAsync(c.Digest);
        Assert.Equal("ACTIVE", detail.GetProperty("imageStatus").GetString());
        Assert.Equal(Epoch(_clock.GetUtcNow()), detail.GetProperty("lastActivatedAt").GetDouble(), 3);
        Assert.Equal(Epoch(Start.AddMinutes(2)), detail.GetProperty("imagePushedAt").GetDouble(), 3);
    }

    [Fact]
    public async Task A_restored_image_counts_from_its_restore_and_is_not_archived_again_by_the_next_run()
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        await Lifecycle.RunAllAsync(null, CancellationToken.None);
        var c = images["c"].Digest;
        await Ecr.OkAsync("UpdateImageStorageClass", $$"""{"repositoryName":"app","imageId":{"imageDigest":"{{c}}"},"targetStorageClass":"STANDARD"}""");
        _clock.Advance(TimeSpan.FromDays(1));

        await StartPreviewAsync();
        var preview = await WaitForPreviewAsync();
        var report = Assert.Single(await Lifecycle.RunAllAsync(null, CancellationToken.None));

        Assert.DoesNotContain(c, Digests(preview.GetProperty("previewResults")));
        Assert.Equal(0, report.Transitioned);
        Assert.Equal("ACTIVE", (await DescribeAsync(c)).GetProperty("imageStatus").GetString());

        // 90 days after the restore, with no pull since, it goes back to the archive.
        _clock.Advance(TimeSpan.FromDays(90));
        Assert.Equal(1, Assert.Single(await Lifecycle.RunAllAsync(null, CancellationToken.None)).Transitioned);
        Assert.Equal("ARCHIVED", (await DescribeAsync(c)).GetProperty("imageStatus").GetString());
    }

    [Fact]
    public async Task A_manifest_lists_children_survive_while_the_list_is_kept_and_expire_once_it_is_gone()
    {
        var x = await Pusher.PushImageAsync(null, _baseLayer);
        var y = await Pusher.PushImageAsync(null, _baseLayer);
        var list = await Pusher.PushIndexAsync("v1", x, y);
        var loose = await Pusher.PushImageAsync(null, _baseLayer);
        _clock.Advance(TimeSpan.FromDays(10));
        const string untaggedAfterOneDay = """
            {"rules":[{"rulePriority":1,"description":"expire untagged images after a day",
              "selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},
              "action":{"type":"expire"}}]}
            """;
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(untaggedAfterOneDay));

        await StartPreviewAsync();
        var preview = await WaitForPreviewAsync();
        var first = Assert.Single(await Lifecycle.RunAllAsync(null, CancellationToken.None));

        Assert.Equal(new HashSet<string> { loose.Digest }, Digests(preview.GetProperty("previewResults")));
        Assert.Equal(1, first.Expired);
        Assert.Equal(new HashSet<string> { x.Digest, y.Digest, list.Digest }, await DescribedDigestsAsync("ANY"));
        Assert.Equal(HttpStatusCode.OK, await Pusher.GetManifestStatusAsync(x.Digest));
        Assert.Equal(HttpStatusCode.OK, await Pusher.GetManifestStatusAsync("v1"));

        await Ecr.OkAsync("BatchDeleteImage", """{"repositoryName":"app","imageIds":[{"imageTag":"v1"}]}""");
        var second = Assert.Single(await Lifecycle.RunAllAsync(null, CancellationToken.None));

        Assert.Equal(2, second.Expired);
        Assert.Empty(await DescribedDigestsAsync("ANY"));
    }

    [Fact]
    public async Task An_expiring_manifest_list_goes_first_and_its_children_expire_on_the_next_run()
    {
        var x = await Pusher.PushImageAsync(null, _baseLayer);
        var y = await Pusher.PushImageAsync(null, _baseLayer);
        var list = await Pusher.PushIndexAsync(null, x, y);
        _clock.Advance(TimeSpan.FromDays(10));
        const string anyAfterOneDay = """
            {"rules":[{"rulePriority":1,"description":"expire every image after a day",
              "selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":1},
              "action":{"type":"expire"}}]}
            """;
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(anyAfterOneDay));

        var first = Assert.Single(await Lifecycle.RunAllAsync(null, CancellationToken.None));

        Assert.Equal(1, first.Expired);
        Assert.Equal(new HashSet<string> { x.Digest, y.Digest }, await DescribedDigestsAsync("ANY"));
        Assert.Equal(HttpStatusCode.NotFound, await Pusher.GetManifestStatusAsync(list.Digest));
        Assert.Equal(2, Assert.Single(await Lifecycle.RunAllAsync(null, CancellationToken.None)).Expired);
        Assert.Empty(await DescribedDigestsAsync("ANY"));
    }

    [Fact]
    public async Task A_referrer_is_archived_and_expired_with_its_subject()
    {
        var old = await Pusher.PushImageAsync("old", _baseLayer);
        var sbom = await Pusher.PushReferrerAsync(old);
        _clock.Advance(TimeSpan.FromDays(200));
        var fresh = await Pusher.PushImageAsync("fresh", _baseLayer);
        const string archiveThenExpire = """
            {"rules":[
              {"rulePriority":1,"description":"archive images not pulled for 180 days",
               "selection":{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":180},
               "action":{"type":"transition","targetStorageClass":"archive"}},
              {"rulePriority":2,"description":"expire images archived for 90 days",
               "selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},
               "action":{"type":"expire"}}]}
            """;
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(archiveThenExpire));

        var archived = Assert.Single(await Lifecycle.RunAllAsync(null, CancellationToken.None));

        Assert.Equal(2, archived.Transitioned);
        Assert.Equal(new HashSet<string> { old.Digest, sbom.Digest }, await DescribedDigestsAsync("ARCHIVED"));
        Assert.Equal(new HashSet<string> { fresh.Digest }, await DescribedDigestsAsync("ACTIVE"));

        _clock.Advance(TimeSpan.FromDays(91));
        var expired = Assert.Single(await Lifecycle.RunAllAsync(null, CancellationToken.None));

        Assert.Equal((2, 0), (expired.Expired, expired.Transitioned));
        Assert.Equal(new HashSet<string> { fresh.Digest }, await DescribedDigestsAsync("ANY"));
    }

    [Fact]
    public async Task Garbage_collection_after_a_run_frees_the_expired_images_blobs_but_not_shared_or_live_ones()
    {
        var images = await PushScenarioAsync();
        await Ecr.OkAsync("PutLifecyclePolicy", WithPolicy(Policy));
        await Lifecycle.RunAllAsync(null, CancellationToken.None);
        var blobs = _host.Services.GetRequiredService<IBlobStore>();

        var report = await _host.Services.GetRequiredService<GarbageCollector>().CollectAsync(TimeSpan.Zero, CancellationToken.None);

        // a, b and d each had a config and a layer of their own; the base layer is shared by every image.
        Assert.Equal(6, report.FilesDeleted);
        foreach (var name in new[] { "a", "b", "d" })
        {
            Assert.Null(await blobs.StatAsync(Digest.Parse(images[name].ConfigDigest), CancellationToken.None));
            Assert.Null(await blobs.StatAsync(Digest.Parse(images[name].LayerDigests[^1]), CancellationToken.None));
        }

        foreach (var name in new[] { "c", "e", "f", "g" })
        {
            foreach (var digest in images[name].LayerDigests.Append(images[name].ConfigDigest))
            {
                Assert.NotNull(await blobs.StatAsync(Digest.Parse(digest), CancellationToken.None));
            }
        }

        using var shared = await _host.Client.GetAsync($"/v2/app/blobs/{V2Pusher.Sha(_baseLayer)}");
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Pusher.GetManifestStatusAsync("v4"));
    }

    [Fact]
    public async Task The_lifecycle_job_applies_every_policy_each_LifecycleInterval()
    {
        await using var host = await BerthHost.StartAsync(settings: new Dictionary<string, string?> { ["Berth:LifecycleInterval"] = "0.1s" });
        var ecr = host.Ecr();
        var pusher = new V2Pusher(host.Client, "job");
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"job"}""");
        await pusher.PushImageAsync("old");
        await Task.Delay(20);
        await pusher.PushImageAsync("new");
        const string keepOne = """
            {"rules":[{"rulePriority":1,"description":"keep only the newest image",
              "selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},
              "action":{"type":"expire"}}]}
            """;

        await ecr.OkAsync("PutLifecyclePolicy", WithPolicy(keepOne, "job"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await ecr.OkAsync("GetLifecyclePolicy", """{"repositoryName":"job"}""")).GetProperty("lastEvaluatedAt").GetDouble() == 0)
        {
            await Task.Delay(50, timeout.Token);
        }

        var left = (await ecr.OkAsync("DescribeImages", """{"repositoryName":"job"}""")).GetProperty("imageDetails");
        Assert.Equal("new", Assert.Single(left.EnumerateArray()).GetProperty("imageTags")[0].GetString());
    }
}
