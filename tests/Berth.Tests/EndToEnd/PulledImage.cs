using System.Text.Json;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// What skopeo wrote to a <c>dir:</c> or <c>oci:</c> destination: the digest of the top manifest and of every
/// content-addressed object, each checked against the bytes on disk, so equal sets mean equal images.
/// </summary>
public sealed record PulledImage(string Digest, IReadOnlySet<string> AllDigests)
{
    /// <summary>Reads a dir: layout: manifest.json, &lt;hex&gt;.manifest.json per platform, blobs named by hex digest.</summary>
    public static PulledImage FromDir(string path)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        string? top = null;
        foreach (var file in Directory.EnumerateFiles(path))
        {
            var name = Path.GetFileName(file);
            var digest = HashOf(file);
            if (name == "manifest.json")
            {
                top = digest;
            }
            else if (name.EndsWith(".manifest.json", StringComparison.Ordinal))
            {
                Assert.Equal("sha256:" + name[..^".manifest.json".Length], digest);
            }
            else if (name.Length == 64)
            {
                Assert.Equal("sha256:" + name, digest);
            }
            else
            {
                continue;
            }

            all.Add(digest);
        }

        Assert.True(top is not null, $"{path} holds no manifest.json");
        return new PulledImage(top, all);
    }

    /// <summary>Reads an OCI image layout: the descriptor tagged <paramref name="tag"/> in index.json, and every blob.</summary>
    public static PulledImage FromOciLayout(string path, string tag)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(path, "index.json")));
        string? top = null;
        foreach (var descriptor in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            if (descriptor.TryGetProperty("annotations", out var annotations)
                && annotations.TryGetProperty("org.opencontainers.image.ref.name", out var name)
                && name.GetString() == tag)
            {
                top = descriptor.GetProperty("digest").GetString();
            }
        }

        Assert.True(top is not null, $"{path}/index.json has no entry for tag {tag}");
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(path, "blobs", "sha256")))
        {
            var digest = HashOf(file);
            Assert.Equal("sha256:" + Path.GetFileName(file), digest);
            all.Add(digest);
        }

        return new PulledImage(top, all);
    }

    private static string HashOf(string file)
    {
        using var content = File.OpenRead(file);
        return OciLayoutBuilder.Sha256(content);
    }
}
