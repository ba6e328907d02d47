using System.Net;
using System.Text.Json;
using Berth.Domain;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Tests.Ecr.PolicyOperationsTests;

namespace Berth.Tests.Ecr;

/// <summary>
/// Register, Deregister and ListPullTimeUpdateExclusions over the wire (validation, errors, paging, authorization), and
/// what an exclusion changes: pulls by an excluded principal, on both protocols, leave lastRecordedPullTime alone.
/// </summary>
public sealed class PullExclusionOperationsTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private const string Repo = "app";
    private const string AllEcr = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";
    private const string ListOnly = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:ListPullTimeUpdateExclusions","Resource":"*"}]}""";

    private static readonly string Scanner = $"arn:aws:iam::{Account}:user/scanner";

    private BerthHost _host = null!;
    private EcrClient _root = null!;
    private EcrClient _scanner = null!;
    private EcrClient _developer = null!;
    private EcrClient _reader = null!;

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync(AuthMode.SigV4);
        var store = _host.Services.GetRequiredService<IMetadataStore>();
        _root = _host.Ecr().WithCredentials(await KeyAsync(store, "AKIAEXCLUSIONROOT001", Account));
        _scanner = _host.Ecr().WithCredentials(await KeyAsync(store, "AKIAEXCLUSIONSCAN001", Account, "scanner", AllEcr));
        _developer = _host.Ecr().WithCredentials(await KeyAsync(store, "AKIAEXCLUSIONDEVS001", Account, "developer", AllEcr));
        _reader = _host.Ecr().WithCredentials(await KeyAsync(store, "AKIAEXCLUSIONREAD001", Account, "reader", ListOnly));
        await _root.OkAsync("CreateRepository", $$"""{"repositoryName":"{{Repo}}"}""");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Register_answers_the_arn_and_its_creation_time_and_list_then_deregister_take_it_back()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var registered = await _root.OkAsync("RegisterPullTimeUpdateExclusion", Body(Scanner));

        Assert.Equal(Scanner, registered.GetProperty("principalArn").GetString());
        Assert.InRange(registered.GetProperty("createdAt").GetDecimal(), before - 1, before + 60);
        Assert.Equal([Scanner], await ListAsync("{}"));

        var deregistered = await _root.OkAsync("DeregisterPullTimeUpdateExclusion", Body(Scanner));
        Assert.Equal(Scanner, deregistered.GetProperty("principalArn").GetString());
        Assert.False(deregistered.TryGetProperty("createdAt", out _));
        Assert.Empty(await ListAsync("{}"));
    }

    [Fact]
    public async Task A_second_register_and_a_deregister_of_an_unknown_principal_answer_ECRs_exceptions()
    {
        await _root.OkAsync("RegisterPullTimeUpdateExclusion", Body(Scanner));

        var exists = await _root.FailsAsync("RegisterPullTimeUpdateExclusion", Body(Scanner), "ExclusionAlreadyExistsException");
        var missing = await _root.FailsAsync("DeregisterPullTimeUpdateExclusion", Body($"arn:aws:iam::{Account}:role/other"), "ExclusionNotFoundException");

        Assert.Contains(Scanner, exists);
        Assert.Contains("role/other", missing);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:root")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/ci/session")]
    [InlineData("arn:aws:iam::12345678901:user/short-account")]
    [InlineData("123456789012")]
    public async Task Only_iam_user_and_role_arns_can_be_excluded(string arn)
    {
        var message = await _root.FailsAsync("RegisterPullTimeUpdateExclusion", Body(arn), "InvalidParameterException");

        Assert.StartsWith("Invalid parameter at 'principalArn' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ", message);
    }

    [Fact]
    public async Task Register_without_a_principal_and_an_over_long_arn_are_refused_by_the_model()
    {
        var missing = await _root.FailsAsync("RegisterPullTimeUpdateExclusion", "{}", "InvalidParameterException");
        var tooLong = await _root.FailsAsync("DeregisterPullTimeUpdateExclusion", Body($"arn:aws:iam::{Account}:user/{new string('a', 200)}"), "InvalidParameterException");

        Assert.Equal("Invalid parameter at 'principalArn' failed to satisfy constraint: 'Member must not be null'", missing);
        Assert.Equal("Invalid parameter at 'principalArn' failed to satisfy constraint: 'Member must have length less than or equal to 200'", tooLong);
    }

    [Fact]
    public async Task Listing_pages_with_maxResults_and_nextToken_and_refuses_a_foreign_token()
    {
        string[] arns = [$"arn:aws:iam::{Account}:user/a", $"arn:aws:iam::{Account}:user/b", $"arn:aws:iam::{Account}:role/c"];
        foreach (var arn in arns)
        {
            await _root.OkAsync("RegisterPullTimeUpdateExclusion", Body(arn));
        }

        var first = await _root.OkAsync("ListPullTimeUpdateExclusions", """{"maxResults":2}""");
        var token = first.GetProperty("nextToken").GetString()!;
        var second = await _root.OkAsync("ListPullTimeUpdateExclusions", JsonSerializer.Serialize(new Dictionary<string, object> { ["maxResults"] = 2, ["nextToken"] = token }));

        Assert.Equal([arns[2], arns[0]], Arns(first));
        Assert.Equal([arns[1]], Arns(second));
        Assert.False(second.TryGetProperty("nextToken", out _));

        await _root.OkAsync("CreateRepository", """{"repositoryName":"other"}""");
        var foreign = (await _root.OkAsync("DescribeRepositories", """{"maxResults":1}""")).GetProperty("nextToken").GetString();
        await _root.FailsAsync("ListPullTimeUpdateExclusions", JsonSerializer.Serialize(new { nextToken = foreign }), "InvalidParameterException");
        Assert.Equal(
            "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'",
            await _root.FailsAsync("ListPullTimeUpdateExclusions", """{"maxResults":1001}""", "InvalidParameterException"));
    }

    [Fact]
    public async Task A_registry_takes_at_most_100_exclusions()
    {
        for (var i = 0; i < 100; i++)
        {
            await _root.OkAsync("RegisterPullTimeUpdateExclusion", Body($"arn:aws:iam::{Account}:user/u{i:D3}"));
        }

        await _root.FailsAsync("RegisterPullTimeUpdateExclusion", Body(Scanner), "LimitExceededException");
        Assert.Equal(100, (await ListAsync("""{"maxResults":1000}""")).Count);
    }

    [Fact]
    public async Task The_operations_are_authorized_by_their_own_ecr_actions()
    {
        Assert.Empty(await ListAsync("{}", _reader));

        var denied = await _reader.FailsAsync("RegisterPullTimeUpdateExclusion", Body(Scanner), "AccessDeniedException");
        await _reader.FailsAsync("DeregisterPullTimeUpdateExclusion", Body(Scanner), "AccessDeniedException");

        Assert.Contains("ecr:RegisterPullTimeUpdateExclusion", denied);
        Assert.Empty(await ListAsync("{}"));
    }

    [Fact]
    public async Task Pulls_by_an_excluded_principal_leave_lastRecordedPullTime_unchanged_and_pulls_by_others_update_it()
    {
        await _root.OkAsync("RegisterPullTimeUpdateExclusion", Body(Scanner));
        var scannerOci = new OciClient(_host.Client).WithAuthorization("Basic " + await TokenAsync(_scanner));
        var developerOci = new OciClient(_host.Client).WithAuthorization("Basic " + await TokenAsync(_developer));
        var viaV2 = await developerOci.PushImageAsync(Repo, "v2", "pulled over v2");
        var viaApi = await developerOci.PushImageAsync(Repo, "api", "pulled with BatchGetImage");

        using (var pulled = await scannerOci.GetAsync($"/v2/{Repo}/manifests/v2"))
        {
            await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
        }

        await _scanner.OkAsync("BatchGetImage", $$"""{"repositoryName":"{{Repo}}","imageIds":[{"imageTag":"api"}]}""");
        Assert.Null(await PullTimeAsync(viaV2.Digest.ToString()));
        Assert.Null(await PullTimeAsync(viaApi.Digest.ToString()));

        using (var pulled = await developerOci.GetAsync($"/v2/{Repo}/manifests/v2"))
        {
            await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
        }

        await _developer.OkAsync("BatchGetImage", $$"""{"repositoryName":"{{Repo}}","imageIds":[{"imageTag":"api"}]}""");
        Assert.NotNull(await PullTimeAsync(viaV2.Digest.ToString()));
        Assert.NotNull(await PullTimeAsync(viaApi.Digest.ToString()));
    }

    [Fact]
    public async Task Once_deregistered_the_principals_pulls_update_lastRecordedPullTime_again()
    {
        await _root.OkAsync("RegisterPullTimeUpdateExclusion", Body(Scanner));
        var scannerOci = new OciClient(_host.Client).WithAuthorization("Basic " + await TokenAsync(_scanner));
        var image = await scannerOci.PushImageAsync(Repo, "v1", "deregistered");
        var pull = $$"""{"repositoryName":"{{Repo}}","imageIds":[{"imageTag":"v1"}]}""";

        await _scanner.OkAsync("BatchGetImage", pull);
        Assert.Null(await PullTimeAsync(image.Digest.ToString()));

        await _root.OkAsync("DeregisterPullTimeUpdateExclusion", Body(Scanner));
        await _scanner.OkAsync("BatchGetImage", pull);
        Assert.NotNull(await PullTimeAsync(image.Digest.ToString()));
    }

    private static string Body(string arn) => JsonSerializer.Serialize(new { principalArn = arn });

    private static List<string> Arns(JsonElement answer) =>
        [.. answer.GetProperty("pullTimeUpdateExclusions").EnumerateArray().Select(arn => arn.GetString()!)];

    private async Task<List<string>> ListAsync(string body, EcrClient? client = null) =>
        Arns(await (client ?? _root).OkAsync("ListPullTimeUpdateExclusions", body));

    private async Task<decimal?> PullTimeAsync(string digest)
    {
        var detail = (await _root.OkAsync("DescribeImages", $$"""{"repositoryName":"{{Repo}}","imageIds":[{"imageDigest":"{{digest}}"}]}"""))
            .GetProperty("imageDetails")[0];
        return detail.TryGetProperty("lastRecordedPullTime", out var time) ? time.GetDecimal() : null;
    }
}
