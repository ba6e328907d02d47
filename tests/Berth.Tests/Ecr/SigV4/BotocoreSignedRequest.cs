using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Tests.Ecr.SigV4;

/// <summary>
/// One request from Fixtures/botocore-signed.json, signed by botocore (see botocore-signed.py next to it),
/// turned back into an ASP.NET Core request the way Kestrel would present it.
/// </summary>
internal sealed record BotocoreSignedRequest(
    string Name,
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Body,
    DateTimeOffset SignedAt)
{
    private static readonly Lazy<Fixture> Loaded = new(Load);

    public static string AccessKeyId => Loaded.Value.AccessKeyId;

    public static string SecretAccessKey => Loaded.Value.SecretAccessKey;

    public static IReadOnlyList<BotocoreSignedRequest> All => Loaded.Value.Requests;

    public byte[] BodyBytes => Encoding.UTF8.GetBytes(Body);

    public static BotocoreSignedRequest Named(string name) =>
        All.SingleOrDefault(r => r.Name == name) ?? throw new InvalidOperationException($"No fixture named {name}.");

    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

    /// <summary>A copy with the header replaced, or removed when <paramref name="value"/> is null.</summary>
    public BotocoreSignedRequest WithHeader(string name, string? value)
    {
        var headers = Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (value is not null)
        {
            headers.Add(new(name, value));
        }

        return this with { Headers = headers };
    }

    /// <summary>A copy whose Authorization header has <paramref name="oldValue"/> replaced.</summary>
    public BotocoreSignedRequest WithAuthorizationEdit(string oldValue, string newValue)
    {
        var authorization = Header("Authorization") ?? throw new InvalidOperationException($"{Name} has no Authorization header.");
        Assert.Contains(oldValue, authorization, StringComparison.Ordinal);
        return WithHeader("Authorization", authorization.Replace(oldValue, newValue, StringComparison.Ordinal));
    }

    public DefaultHttpContext ToHttpContext(bool withRawTarget = true)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        var authorityStart = Url.IndexOf("://", StringComparison.Ordinal) + 3;
        var pathStart = Url.IndexOf('/', authorityStart);
        var target = Url[pathStart..];
        var question = target.IndexOf('?', StringComparison.Ordinal);

        request.Method = Method;
        request.Scheme = Url[..(authorityStart - 3)];
        request.Host = new HostString(Url[authorityStart..pathStart]);
        request.Path = PathString.FromUriComponent(question < 0 ? target : target[..question]);
        request.QueryString = question < 0 ? QueryString.Empty : new QueryString(target[question..]);
        if (withRawTarget)
        {
            context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.Append(name, value);
        }

        return context;
    }

    public override string ToString() => Name;

    private static Fixture Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "botocore-signed.json")));
        var root = document.RootElement;
        var requests = new List<BotocoreSignedRequest>();
        foreach (var r in root.GetProperty("requests").EnumerateArray())
        {
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var pair in r.GetProperty("headers").EnumerateArray())
            {
                headers.Add(new(pair[0].GetString()!, pair[1].GetString()!));
            }

            requests.Add(new BotocoreSignedRequest(
                r.GetProperty("name").GetString()!,
                r.GetProperty("method").GetString()!,
                r.GetProperty("url").GetString()!,
                headers,
                r.GetProperty("body").GetString()!,
                DateTimeOffset.Parse(r.GetProperty("signedAt").GetString()!, CultureInfo.InvariantCulture)));
        }

        return new Fixture(root.GetProperty("accessKeyId").GetString()!, root.GetProperty("secretAccessKey").GetString()!, requests);
    }

    private sealed record Fixture(string AccessKeyId, string SecretAccessKey, IReadOnlyList<BotocoreSignedRequest> Requests);
}
