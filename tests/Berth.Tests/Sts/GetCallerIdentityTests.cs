using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Sts;

/// <summary>STS GetCallerIdentity on the registry's endpoint: form-encoded, SigV4 for service sts, STS XML back.</summary>
public sealed class GetCallerIdentityTests : IAsyncLifetime
{
    private const string Account = "111111111111";
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";

    private BerthHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync(AuthMode.SigV4);
        var keys = _host.Services.GetRequiredService<AccessKeyService>();
        await keys.AddAsync(new AccessKey("AKIASTSTESTROOTKEY01", "root-secret", Account, DateTimeOffset.UtcNow), CancellationToken.None);
        await _host.Services.GetRequiredService<IMetadataStore>().Users.CreateAsync(User.Create(Account, "deployer", DateTimeOffset.UtcNow), CancellationToken.None);
        await keys.AddAsync(new AccessKey("AKIASTSTESTUSERKEY01", "user-secret", Account, DateTimeOffset.UtcNow) { UserName = "deployer" }, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, XElement Body, string? ContentType)> CallAsync(
        string body, SigV4Credentials? credentials, string service = "sts")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        if (credentials is not null)
        {
            SigV4Signer.Sign(request, Encoding.UTF8.GetBytes(body), credentials, "us-east-1", DateTimeOffset.UtcNow, service);
        }

        using var response = await _host.Client.SendAsync(request);
        return (response.StatusCode, XElement.Parse(await response.Content.ReadAsStringAsync()), response.Content.Headers.ContentType?.MediaType);
    }

    private static string Field(XElement response, string name) =>
        response.Element(Sts + "GetCallerIdentityResult")!.Element(Sts + name)!.Value;

    private static string ErrorCode(XElement response) => response.Element(Sts + "Error")!.Element(Sts + "Code")!.Value;

    [Fact]
    public async Task A_root_key_is_its_accounts_root()
    {
        var (status, body, type) = await CallAsync("Action=GetCallerIdentity&Version=2011-06-15", new("AKIASTSTESTROOTKEY01", "root-secret", Account));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/xml", type);
        Assert.Equal(Sts + "GetCallerIdentityResponse", body.Name);
        Assert.Equal("arn:aws:iam::111111111111:root", Field(body, "Arn"));
        Assert.Equal(Account, Field(body, "UserId"));
        Assert.Equal(Account, Field(body, "Account"));
        Assert.NotEmpty(body.Element(Sts + "ResponseMetadata")!.Element(Sts + "RequestId")!.Value);
    }

    [Fact]
    public async Task A_users_key_is_that_user()
    {
        var (status, body, _) = await CallAsync("Action=GetCallerIdentity&Version=2011-06-15", new("AKIASTSTESTUSERKEY01", "user-secret", Account));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("arn:aws:iam::111111111111:user/deployer", Field(body, "Arn"));
        Assert.Matches("^AIDA[A-Z2-7]{17}$", Field(body, "UserId"));
        Assert.Equal(Account, Field(body, "Account"));
    }

    [Theory]
    [InlineData("AKIASTSTESTROOTKEY01", "wrong-secret", "sts", "SignatureDoesNotMatch", HttpStatusCode.Forbidden)]
    [InlineData("AKIASTSTESTNOSUCHKEY", "root-secret", "sts", "InvalidClientTokenId", HttpStatusCode.Forbidden)]
    [InlineData("AKIASTSTESTROOTKEY01", "root-secret", "ecr", "SignatureDoesNotMatch", HttpStatusCode.Forbidden)]
    public async Task Bad_credentials_answer_an_STS_error(string keyId, string secret, string service, string code, HttpStatusCode expected)
    {
        var (status, body, _) = await CallAsync("Action=GetCallerIdentity&Version=2011-06-15", new(keyId, secret, Account), service);

        Assert.Equal(expected, status);
        Assert.Equal(Sts + "ErrorResponse", body.Name);
        Assert.Equal(code, ErrorCode(body));
        Assert.Equal("Sender", body.Element(Sts + "Error")!.Element(Sts + "Type")!.Value);
    }

    [Fact]
    public async Task An_unsigned_request_is_refused()
    {
        var (status, body, _) = await CallAsync("Action=GetCallerIdentity&Version=2011-06-15", null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("MissingAuthenticationToken", ErrorCode(body));
    }

    [Theory]
    [InlineData("Action=AssumeRole&Version=2011-06-15", "InvalidAction")]
    [InlineData("Action=GetCallerIdentity&Version=2099-01-01", "InvalidAction")]
    [InlineData("Version=2011-06-15", "MissingAction")]
    public async Task Other_actions_answer_an_STS_error(string form, string code)
    {
        var (status, body, _) = await CallAsync(form, new("AKIASTSTESTROOTKEY01", "root-secret", Account));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, ErrorCode(body));
    }
}
