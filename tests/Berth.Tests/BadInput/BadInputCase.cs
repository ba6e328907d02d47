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
public sealed record BadInputCase(string Name, Func<BadInputServer, HttpRequestMessage>? Build, Expected Expected, bool MayChangeData = false)
{
    /// <summary>
    /// The request as raw HTTP/1.1 bytes, for framing HttpClient will not send (a body shorter than its Content-Length,
    /// a broken chunk); the connection is half-closed after them. Used instead of <see cref="Build"/> when set.
    /// </summary>
    public Func<BadInputServer, byte[]>? Raw { get; init; }

    /// <summary>The raw client hangs up after its bytes (a body cut short): no answer is expected, only that nothing changed.</summary>
    public bool HangsUp { get; init; }

    /// <summary>Sends the request and checks the answer, the data dir and that the server still serves.</summary>
    public async Task RunAsync(BadInputServer server, bool ecr)
    {
        var before = await DataDirSnapshot.TakeAsync(server.DataDir);
        var response = Raw is { } raw ? await RawHttp.SendAsync(server, raw(server), HangsUp) : await SendAsync(server);
        var status = response.StatusCode;
        var body = response.Body;
        Assert.True(status < 500, $"{Name}: server error {status}: {body}");
        Assert.True(status == Expected.Status || (HangsUp && status == 0), $"{Name}: expected {Expected.Status} {Expected.Code}, got {status}: {body}");
        if (!ecr && status == 401)
        {
            Assert.True(response.Headers.ContainsKey("WWW-Authenticate"), $"{Name}: a 401 without a challenge");
        }

        if (Expected.Code is { } code && status != 0)
        {
            var (actual, message) = ecr ? EcrError(response) : OciError(response);
            Assert.True(code == actual, $"{Name}: expected {code}, got {status}: {body}");
            if (Expected.MessageContains is { } fragment)
            {
                Assert.True(message.Contains(fragment, StringComparison.Ordinal), $"{Name}: message lacks \"{fragment}\": {message}");
            }
        }

        if (!MayChangeData)
        {
            var changed = (await DataDirSnapshot.TakeAsync(server.DataDir)).DifferenceFrom(before);
            Assert.True(changed.Length == 0, $"{Name}: the data dir changed:\n{changed}");
        }
        else if (HangsUp)
        {
            // The server may still be handling the request the client walked away from (a one-shot push claims its
            // digest before reading the body): let that write land here rather than inside the next case's check.
            await WaitUntilSettledAsync(server.DataDir);
        }

        await server.AssertServingAsync();
    }

    /// <summary>Waits until the data dir has stayed the same for 300 ms (at most 5 s).</summary>
    private static async Task WaitUntilSettledAsync(string dataDir)
    {
        var last = await DataDirSnapshot.TakeAsync(dataDir);
        var stableSince = DateTime.UtcNow;
        var deadline = stableSince.AddSeconds(5);
        while (DateTime.UtcNow < deadline && DateTime.UtcNow - stableSince < TimeSpan.FromMilliseconds(300))
        {
            await Task.Delay(50);
            var next = await DataDirSnapshot.TakeAsync(dataDir);
            if (next.DifferenceFrom(last).Length != 0)
            {
                stableSince = DateTime.UtcNow;
            }

            last = next;
        }
    }

    public override string ToString() => Name;

    private async Task<RawResponse> SendAsync(BadInputServer server)
    {
        using var request = Build!(server);
        using var response = await server.Http.SendAsync(request);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(",", values);
        }

        return new RawResponse((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }

    private static (string Type, string Message) EcrError(RawResponse response)
    {
        Assert.StartsWith("application/x-amz-json-1.1", response.Headers.GetValueOrDefault("Content-Type"), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(response.Body);
        var type = document.RootElement.GetProperty("__type").GetString()!;
        Assert.Equal(type, response.Headers.GetValueOrDefault("x-amzn-ErrorType"));
        return (type, document.RootElement.GetProperty("message").GetString()!);
    }

    private static (string Code, string Message) OciError(RawResponse response)
    {
        Assert.StartsWith("application/json", response.Headers.GetValueOrDefault("Content-Type"), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(response.Body);
        var errors = document.RootElement.GetProperty("errors");
        Assert.Equal(1, errors.GetArrayLength());
        return (errors[0].GetProperty("code").GetString()!, errors[0].GetProperty("message").GetString()!);
    }
}
