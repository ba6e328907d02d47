using System.Formats.Tar;
using System.IO.Compression;

namespace Berth.Domain.Scanning.Layers;

/// <summary>
/// Streams an image's layers from the blob store in order and keeps the wanted files of the final filesystem:
/// each layer's whiteouts (<c>.wh.name</c>) and opaque markers (<c>.wh..wh..opq</c>) remove what lower layers wrote,
/// then the layer's own files are laid over. Layers are gzip, zstd or plain tar, told apart by their first bytes.
/// </summary>
public sealed class LayerReader(IBlobStore blobs)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    /// <exception cref="InvalidDataException">A layer is missing, or is not a readable (compressed) tar.</exception>
    public async Task<ImageFiles> ReadAsync(IReadOnlyList<Digest> layers, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, ImageFile>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            var added = new Dictionary<string, ImageFile>(StringComparer.Ordinal);
            var removed = new List<string>();
            var opaque = new List<string>();
            await using (var stream = await OpenAsync(layer, cancellationToken))
            {
                await ReadLayerAsync(stream, layer.ToString(), added, removed, opaque, cancellationToken);
            }

            foreach (var dir in opaque)
            {
                RemoveUnder(files, dir + "/");
            }

            foreach (var path in removed)
            {
                files.Remove(path);
                RemoveUnder(files, path + "/");
            }

            foreach (var (path, file) in added)
            {
                files[path] = file;
            }
        }

        return new ImageFiles(files);
    }

    private static async Task ReadLayerAsync(
        Stream stream, string layer, Dictionary<string, ImageFile> added, List<string> removed, List<string> opaque, CancellationToken cancellationToken)
    {
        await using var tar = new TarReader(stream, leaveOpen: true);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var path = ImagePaths.Normalize(entry.Name);
            var slash = path.LastIndexOf('/');
            var name = path[(slash + 1)..];
            var dir = slash < 0 ? string.Empty : path[..slash];
            if (name == OpaqueMarker)
            {
                opaque.Add(dir);
                continue;
            }

            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                removed.Add(slash < 0 ? name[WhiteoutPrefix.Length..] : $"{dir}/{name[WhiteoutPrefix.Length..]}");
                continue;
            }

            if (!ImagePaths.IsWanted(path))
            {
                continue;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile
                    when entry.DataStream is { } data && entry.Length <= ImagePaths.MaxFileBytes:
                    var content = new byte[entry.Length];
                    await data.ReadExactlyAsync(content, cancellationToken);
                    added[path] = new ImageFile(path, content, null, layer);
                    break;
                case TarEntryType.SymbolicLink:
                    added[path] = new ImageFile(path, [], entry.LinkName, layer);
                    break;
                case TarEntryType.HardLink:
                    var target = ImagePaths.Normalize(entry.LinkName);
                    if (added.TryGetValue(target, out var linked))
                    {
                        added[path] = linked with { Path = path };
                    }

                    break;
            }
        }
    }

    private async Task<Stream> OpenAsync(Digest layer, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        var read = 0;
        await using (var head = await blobs.OpenReadAsync(layer, 0, 4, cancellationToken)
            ?? throw new InvalidDataException($"Layer {layer} is not in the blob store."))
        {
            read = await head.ReadAtLeastAsync(magic, 4, throwOnEndOfStream: false, cancellationToken);
        }

        var stream = await blobs.OpenReadAsync(layer, 0, null, cancellationToken)
            ?? throw new InvalidDataException($"Layer {layer} is not in the blob store.");
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return new GZipStream(stream, CompressionMode.Decompress);
        }

        if (read == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        {
            return new ZstdSharp.DecompressionStream(stream);
        }

        return stream;
    }

    private static void RemoveUnder(Dictionary<string, ImageFile> files, string prefix)
    {
        List<string>? doomed = null;
        foreach (var path in files.Keys)
        {
            if (prefix == "/" || path.StartsWith(prefix, StringComparison.Ordinal))
            {
                (doomed ??= []).Add(path);
            }
        }

        if (doomed is not null)
        {
            foreach (var path in doomed)
            {
                files.Remove(path);
            }
        }
    }
}
