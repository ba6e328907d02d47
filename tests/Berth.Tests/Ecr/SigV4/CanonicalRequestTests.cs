using Berth.Ecr.SigV4;
using Microsoft.Extensions.Primitives;

namespace Berth.Tests.Ecr.SigV4;

public sealed class CanonicalRequestTests
{
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly Dictionary<string, StringValues> HostOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Host"] = "example.amazonaws.com",
    };

    // Expected values are botocore 1.43.11's SigV4Auth._normalize_url_path; the named ones are the
    // canonical URIs of the AWS suite's get-slash*, get-relative* and get-space vectors.
    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("//", "/")] // get-slash
    [InlineData("//example//", "/example/")] // get-slashes
    [InlineData("/./", "/")] // get-slash-dot-slash
    [InlineData("/./example", "/example")] // get-slash-pointless-dot
    [InlineData("/example/..", "/")] // get-relative
    [InlineData("/example1/example2/../..", "/")] // get-relative-relative
    [InlineData("/../a", "/a")]
    [InlineData("/a/b/", "/a/b/")]
    [InlineData("/example space/", "/example%20space/")] // get-space
    [InlineData("/ሴ", "/%E1%88%B4")] // get-utf8
    [InlineData("/-._~AZaz09", "/-._~AZaz09")] // get-unreserved
    [InlineData("/a+b=c:d@e", "/a%2Bb%3Dc%3Ad%40e")]
    [InlineData("/a%20b", "/a%2520b")]
    [InlineData("/%E1%88%B4", "/%25E1%2588%25B4")]
    [InlineData("/a%2Fb", "/a%252Fb")]
    [InlineData("/a/%2E%2E/b", "/a/%252E%252E/b")]
    public void Path_is_normalised_and_encoded_once_more_like_botocore(string rawPath, string expected)
    {
        var canonical = CanonicalRequest.Build("GET", rawPath, "", HostOnly, "host", EmptyHash);

        Assert.Equal(expected, canonical.Split('\n')[1]);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("?", "")]
    [InlineData("b=2&a=1", "a=1&b=2")]
    [InlineData("?b=2&a=1", "a=1&b=2")]
    [InlineData("a=2&a=1&A=3", "A=3&a=1&a=2")]
    [InlineData("z=1&a=x%2Fy&a=%20", "a=%20&a=x%2Fy&z=1")]
    [InlineData("key", "key=")]
    [InlineData("a=&&b", "a=&b=")]
    [InlineData("p=a b", "p=a%20b")]
    [InlineData("p=a+b", "p=a%2Bb")]
    [InlineData("p=%7e%2d", "p=~-")]
    [InlineData("p=%e1%88%b4", "p=%E1%88%B4")]
    [InlineData("p=100%", "p=100%25")]
    [InlineData("p=%zz", "p=%25zz")]
    [InlineData("%40%23%24%25%5E=&%2B=%2F%2C", "%2B=%2F%2C&%40%23%24%25%5E=")]
    public void Query_is_decoded_reencoded_and_sorted(string rawQuery, string expected)
    {
        var canonical = CanonicalRequest.Build("GET", "/", rawQuery, HostOnly, "host", EmptyHash);

        Assert.Equal(expected, canonical.Split('\n')[2]);
    }

    [Fact]
    public void Presigned_query_leaves_out_the_signature_only()
    {
        var canonical = CanonicalRequest.Build(
            "GET", "/", "X-Amz-Signature=abc&X-Amz-Date=20250115T103000Z&x-amz-signature=kept", HostOnly, "host", EmptyHash, presigned: true);

        Assert.Equal("X-Amz-Date=20250115T103000Z&x-amz-signature=kept", canonical.Split('\n')[2]);
    }

    [Fact]
    public void Header_values_are_trimmed_collapsed_and_joined_with_commas()
    {
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = "example.amazonaws.com",
            ["My-Header1"] = new StringValues(["  a   b  ", "c\t\td", ""]),
            ["My-Header2"] = "\"a   b   c\"",
        };

        var canonical = CanonicalRequest.Build("POST", "/", "", headers, "host;my-header1;my-header2;missing", EmptyHash);

        Assert.Equal(
            "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:a b,c d,\nmy-header2:\"a b c\"\nmissing:\n\n"
            + "host;my-header1;my-header2;missing\n" + EmptyHash,
            canonical);
    }

    [Fact]
    public void Long_paths_and_queries_spill_into_pooled_buffers()
    {
        var segments = string.Join('/', Enumerable.Range(0, 100).Select(i => "s" + i));
        var query = string.Join('&', Enumerable.Range(0, 300).Select(i => $"k{i:D3}=ሴ{i}"));

        var canonical = CanonicalRequest.Build("GET", "/" + segments, query, HostOnly, "host", EmptyHash);

        var lines = canonical.Split('\n');
        Assert.Equal("/" + segments, lines[1]);
        Assert.StartsWith("k000=%E1%88%B40&k001=%E1%88%B41&", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("&k299=%E1%88%B4299", lines[2], StringComparison.Ordinal);
    }
}
