using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Tests.Support;

namespace Berth.Tests.Ecr;

public sealed class ProtocolTests : IAsyncLifetime
{
    private BerthHost _host = null!;

    public async Task InitializeAsync() => _host = await BerthHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpResponseMessage> PostAsync(string? target, string body, string contentType = "application/x-amz-json-1.1")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        return await _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task Success_has_json_content_type_request_id_and_no_null_members()
    {
        var response = await _host.Ecr().CallAsync("CreateRepository", """{"repositoryName":"proto"}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/x-amz-json-1.1", response.ContentType);
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-amzn-RequestId").Single(), out _));
        Assert.DoesNotContain("null", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("imageTagMutabilityExclusionFilters", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_carry_type_in_body_and_header()
    {
        var response = await _host.Ecr().CallAsync("DescribeRepositories", """{"repositoryNames":["missing"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("RepositoryNotFoundException", response.Json.GetProperty("__type").GetString());
        Assert.Equal("RepositoryNotFoundException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal(
            "The repository with name 'missing' does not exist in the registry with id '123456789012'",
            response.Json.GetProperty("message").GetString());
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AmazonEC2ContainerRegistry_V20150921.NoSuchThing")]
    [InlineData("SomeOtherService.CreateRepository")]
    [InlineData("garbage")]
    public async Task Unknown_targets_are_UnknownOperationException(string? target)
    {
        var response = await PostAsync(target, "{}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"__type\":\"UnknownOperationException\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("""{"repositoryName": 12}""")]
    [InlineData("""{"repositoryName": "ok-name", "tags": "not-a-list"}""")]
    public async Task Malformed_bodies_are_SerializationException(string body)
    {
        await _host.Ecr().FailsAsync("CreateRepository", body, "SerializationException");
    }

    [Fact]
    public async Task Empty_body_is_treated_as_an_empty_object()
    {
        var response = await PostAsync("AmazonEC2ContainerRegistry_V20150921.DescribeRepositories", string.Empty);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_members_are_ignored()
    {
        await _host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"extra-members","somethingNew":{"a":[1,2]}}""");
    }

    [Fact]
    public async Task Oversized_body_is_refused_without_a_500()
    {
        var big = new string('a', 33 * 1024 * 1024);
        var response = await PostAsync("AmazonEC2ContainerRegistry_V20150921.CreateRepository", "{\"repositoryName\":\"" + big + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public void Every_model_operation_has_a_handler()
    {
        var operations = (Berth.Ecr.EcrOperations)_host.Services.GetService(typeof(Berth.Ecr.EcrOperations))!;
        var model = Berth.Ecr.Model.EcrModel.Shared.Operations.Select(o => o.Name).Order(StringComparer.Ordinal);

        Assert.Equal(model, operations.Implemented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Timestamps_are_epoch_seconds_with_milliseconds()
    {
        var body = await _host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"timestamps"}""");
        var createdAt = body.GetProperty("repository").GetProperty("createdAt");

        Assert.Equal(System.Text.Json.JsonValueKind.Number, createdAt.ValueKind);
        var seconds = createdAt.GetDecimal();
        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
        Assert.True(decimal.Round(seconds, 3) == seconds);
    }
}
