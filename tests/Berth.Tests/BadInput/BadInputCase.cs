using System.Net;
using System.Text.Json;

namespace Berth.Tests.BadInput;

/// <summary>What a malformed request must get back.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Code">ECR's <c>__type</c> or the OCI error code; null when the answer is a success or has no body (HEAD).</param>
/// <param name="MessageContains">A fragment the error message must hold (ECR's member path, for instance).</param>
public sealed record Expected(int Status, string? Code = null, string? MessageContains = null);

/// <summary>
/// One malformed request: how to build it against the seeded server, and the answer it must get. Unless
/// <see cref="MayChangeData"/>, the data dir must be exactly as before it.
/// </summary>
public sealed record BadInputCase(string Name, Func<BadInputServer, HttpRequestMessage> Build, Expected Expected, bool MayChangeData = false)
{
    /// <summary>Sends the request and checks the answer, the data dir and that the server still serves.</summary>
    public async Task RunAsync(BadInputServer server, bool ecr)
    {
        var before = DataDirSnapshot.Take(server.DataDir);
        string body;
        HttpResponseMessage response;
        using (var request = Build(server))
        {
            response = await server.Http.SendAsync(request);
        }

        using (response)
        {
            body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{Name}: server error {status}: {body}");
            Assert.True(status == Expected.Status, $"{Name}: expected {Expected.Status} {Expected.Code}, got {status}: {body}");
            if (Expected.Code is { } code)
            {
                var (actual, message) = ecr ? EcrError(response, body) : OciError(response, body);
                Assert.True(code == actual, $"{Name}: expected {code}, got {status}: {body}");
                if (Expected.MessageContains is { } fragment)
                {
                    Assert.True(message.Contains(fragment, StringComparison.Ordinal), $"{Name}: message lacks \"{fragment}\": {message}");
                }
            }
        }

        if (!MayChangeData)
        {
            var changed = DataDirSnapshot.Take(server.DataDir).DifferenceFrom(before);
            Assert.True(changed.Length == 0, $"{Name}: the data dir changed:\n{changed}");
        }

        await server.AssertServingAsync();
    }

    public override string ToString() => Name;

    private static (string Type, string Message) EcrError(HttpResponseMessage response, string body)
    {
        Assert.Equal("application/x-amz-json-1.1", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var type = document.RootElement.GetProperty("__type").GetString()!;
        Assert.Equal(type, response.Headers.GetValues("x-amzn-ErrorType").Single());
        return (type, document.RootElement.GetProperty("message").GetString()!);
    }

    private static (string Code, string Message) OciError(HttpResponseMessage response, string body)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.True(response.Headers.WwwAuthenticate.Count > 0, "a 401 without a challenge");
        }

        if (response.RequestMessage?.Method == HttpMethod.Head)
        {
            return (string.Empty, string.Empty);
        }

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var errors = document.RootElement.GetProperty("errors");
        Assert.Equal(1, errors.GetArrayLength());
        return (errors[0].GetProperty("code").GetString()!, errors[0].GetProperty("message").GetString()!);
    }
}
