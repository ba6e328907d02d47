namespace Berth.Domain.Scanning.Layers;

/// <summary>
/// The files of an image's final filesystem that the inventory reads (package databases, release files, language
/// package metadata), after every layer and its whiteouts, each with the layer that last wrote it.
/// </summary>
public sealed class ImageFiles
{
    private readonly Dictionary<string, ImageFile> _files;

    internal ImageFiles(Dictionary<string, ImageFile> files) => _files = files;

    /// <summary>Every kept file by path (relative, no leading slash).</summary>
    public IReadOnlyDictionary<string, ImageFile> All => _files;

    /// <summary>The file at <paramref name="path"/>, following symbolic links kept along the way.</summary>
    public ImageFile? Find(string path)
    {
        for (var hops = 0; hops < 8; hops++)
        {
            if (!_files.TryGetValue(path, out var file))
            {
                return null;
            }

            if (file.LinkTarget is null)
            {
                return file;
            }

            path = ImagePaths.Resolve(path, file.LinkTarget);
        }

        return null;
    }
}

/// <summary>One kept file: its bytes (or the link it is), and the digest of the layer that wrote it.</summary>
public sealed record ImageFile(string Path, byte[] Content, string? LinkTarget, string LayerDigest);
