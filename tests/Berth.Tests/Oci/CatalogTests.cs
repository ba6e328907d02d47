using System.Net;
using Berth.Tests.Support;

namespace Berth.Tests.Oci;

/// <summary>GET /v2/_catalog: the caller's registry only, paged with n and last.</summary>
public sealed class CatalogTests : IAsyncLifetime
{
    private BerthHost _host = null!;

    private OciClient Oci => new(_host.Client);

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync();
        foreach (var name in new[] { "c-three", "zz-last", "a-one", "team/b-two" })
        {
            await OciFixture.CreateRepositoryAsync(_host.Ecr(), name);
        }

        // The same kind of names in another account and another region stay out of this registry's catalog.
        await OciFixture.CreateRepositoryAsync(_host.Ecr("210987654321"), "a-other-account");
        await OciFixture.CreateRepositoryAsync(_host.Ecr(region: "eu-west-1"), "a-other-region");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(string Body, string? Link)> GetAsync(string path)
    {
        using var response = await Oci.GetAsync(path);
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadAsStringAsync(), response.Headers.TryGetValues("Link", out var link) ? link.Single() : null);
    }

    [Fact]
    public async Task Catalog_lists_the_callers_repositories_in_order()
    {
        var (body, link) = await GetAsync("/v2/_catalog");

        Assert.Equal("""{"repositories":["a-one","c-three","team/b-two","zz-last"]}""", body);
        Assert.Null(link);
    }

    [Fact]
    public async Task Catalog_pages_with_n_and_last()
    {
        var first = await GetAsync("/v2/_catalog?n=2");
        Assert.Equal("""{"repositories":["a-one","c-three"]}""", first.Body);
        Assert.Equal("</v2/_catalog?n=2&last=c-three>; rel=\"next\"", first.Link);

        var second = await GetAsync("/v2/_catalog?n=2&last=c-three");
        Assert.Equal("""{"repositories":["team/b-two","zz-last"]}""", second.Body);
        Assert.Null(second.Link);
    }

    [Fact]
    public async Task Catalog_with_n_0_is_empty()
    {
        var (body, link) = await GetAsync("/v2/_catalog?n=0");

        Assert.Equal("""{"repositories":[]}""", body);
        Assert.Null(link);
    }

    [Fact]
    public async Task Catalog_link_escapes_a_name_with_a_slash_and_can_be_followed()
    {
        var (body, link) = await GetAsync("/v2/_catalog?n=1&last=c-three");

        Assert.Equal("""{"repositories":["team/b-two"]}""", body);
        Assert.Equal("</v2/_catalog?n=1&last=team%2Fb-two>; rel=\"next\"", link);
        Assert.NotNull(link);
        var next = await GetAsync(link[1..link.IndexOf('>', StringComparison.Ordinal)]);
        Assert.Equal("""{"repositories":["zz-last"]}""", next.Body);
    }
}
