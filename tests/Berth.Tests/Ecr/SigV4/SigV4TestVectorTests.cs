using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Ecr.SigV4;
using Microsoft.Extensions.Primitives;

namespace Berth.Tests.Ecr.SigV4;

/// <summary>The AWS SigV4 test suite, as shipped with @smithy/signature-v4, run through the pure signing functions.</summary>
public sealed class SigV4TestVectorTests
{
    private static readonly Lazy<JsonDocument> Suite = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sigv4-test-vectors.json"))));

    public static TheoryData<string> VectorNames()
    {
        var names = new TheoryData<string>();
        foreach (var vector in Suite.Value.RootElement.GetProperty("requests").EnumerateArray())
        {
            names.Add(vector.GetProperty("name").GetString()!);
        }

        return names;
    }

    [Fact]
    public void Suite_has_all_24_vectors() => Assert.Equal(24, VectorNames().Count);

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Computed_authorization_header_matches_the_suite(string name)
    {
        var root = Suite.Value.RootElement;
        var vector = Find(root, name);
        var request = vector.GetProperty("request");
        var accessKeyId = root.GetProperty("credentials").GetProperty("accessKeyId").GetString()!;
        var secret = root.GetProperty("credentials").GetProperty("secretAccessKey").GetString()!;
        var region = root.GetProperty("region").GetString()!;
        var service = root.GetProperty("service").GetString()!;

        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.GetProperty("headers").EnumerateObject())
        {
            headers[header.Name] = header.Value.GetString();
        }

        var names = headers.Keys.Select(n => n.ToLowerInvariant()).Order(StringComparer.Ordinal).ToArray();
        var signedHeaders = string.Join(';', names);
        var amzDate = headers["x-amz-date"].ToString();
        var body = request.GetProperty("body").ValueKind == JsonValueKind.String
            ? Encoding.UTF8.GetBytes(request.GetProperty("body").GetString()!)
            : [];
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));

        // The suite's paths are what the client puts on the request line; its query is a decoded map the
        // client percent-encodes, as smithy's signer does.
        var query = string.Join('&', request.GetProperty("query").EnumerateObject()
            .Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value.GetString()!)));
        var canonical = CanonicalRequest.Build(
            request.GetProperty("method").GetString()!,
            request.GetProperty("path").GetString()!,
            query,
            headers,
            signedHeaders,
            payloadHash);
        var signature = SigV4Signature.ComputeSignature(secret, amzDate, region, service, canonical);

        var authorization =
            $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{amzDate[..8]}/{region}/{service}/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}";
        Assert.Equal(vector.GetProperty("authorization").GetString(), authorization);
    }

    private static JsonElement Find(JsonElement root, string name)
    {
        foreach (var vector in root.GetProperty("requests").EnumerateArray())
        {
            if (vector.GetProperty("name").GetString() == name)
            {
                return vector;
            }
        }

        throw new InvalidOperationException($"No vector named {name}.");
    }
}
