using System.Buffers;
using System.Text;
using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Images;
using Berth.Ecr.Contracts;
using Berth.Ecr.Operations;

namespace Berth.Tests.Ecr;

/// <summary>The image BatchGetImage writes by hand is byte for byte what serializing its contract would give.</summary>
public sealed class ImageMappingTests
{
    [Theory]
    [InlineData("v1")]
    [InlineData(null)]
    public void WriteImage_matches_the_serialized_ImageDto_for_a_manifest_with_escapes_across_segments(string? tag)
    {
        // Quotes, HTML-sensitive and non-ASCII characters, with a 3-byte character straddling the 16 KiB segment edge.
        var manifest = "{\"schemaVersion\":2,\"annotations\":{\"a\":\"<é&'\\\\\"" + new string('x', (16 * 1024) - 35) + "€漢字\"}}";
        var bytes = Encoding.UTF8.GetBytes(manifest);
        var digest = Digest.Parse("sha256:" + new string('a', 64));
        var image = new ImageRecord(digest, "application/vnd.oci.image.manifest.v1+json", bytes.Length, 0, DateTimeOffset.UnixEpoch, null, null, null, null)
        {
            Manifest = bytes,
        };
        var repository = new RepositoryKey("123456789012", "us-east-1", "repo");

        var written = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(written))
        {
            ImageMapping.WriteImage(writer, repository, image, tag);
        }

        var expected = JsonSerializer.SerializeToUtf8Bytes(
            new ImageDto("123456789012", "repo", new ImageIdentifierDto(digest.ToString(), tag), manifest, image.MediaType),
            EcrJsonContext.Default.ImageDto);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(written.WrittenSpan));
    }
}
