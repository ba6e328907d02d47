using System.IO.Enumeration;
using Berth.Domain;

namespace Berth.Storage.FileSystem;

/// <summary>Directory listings for enumeration and purge; synchronous, so callers run them on the thread pool.</summary>
internal static class DirectoryListing
{
    /// <summary>The blobs in one fan-out directory, skipping any file a commit could not have written.</summary>
    public static List<BlobInfo> Blobs(string fanOutDirectory, DigestAlgorithm algorithm)
    {
        var fanOut = Path.GetFileName(fanOutDirectory);
        var entries = new FileSystemEnumerable<BlobInfo?>(fanOutDirectory, (ref FileSystemEntry entry) =>
            // Only names a commit could have written: valid hex under the fan-out directory matching its first two characters.
            !entry.IsDirectory && entry.FileName.StartsWith(fanOut, StringComparison.Ordinal)
                && Digest.TryFromHex(algorithm, entry.FileName, out var digest)
                ? new BlobInfo(digest, entry.Length, entry.LastWriteTimeUtc)
                : null);
        var blobs = new List<BlobInfo>();
        foreach (var blob in entries)
        {
            if (blob is { } found)
            {
                blobs.Add(found);
            }
        }

        return blobs;
    }

    /// <summary>The uploads in a directory, by their canonical id names.</summary>
    public static List<UploadInfo> Uploads(string directory)
    {
        var entries = new FileSystemEnumerable<UploadInfo?>(directory, (ref FileSystemEntry entry) =>
            !entry.IsDirectory && BlobKeys.TryParseUploadName(entry.FileName, out var id)
                ? new UploadInfo(id, entry.Length, entry.LastWriteTimeUtc)
                : null);
        var uploads = new List<UploadInfo>();
        foreach (var upload in entries)
        {
            if (upload is { } found)
            {
                uploads.Add(found);
            }
        }

        return uploads;
    }

    /// <summary>Every file in a directory, hidden or not, last written before the cutoff.</summary>
    public static List<string> ModifiedBefore(string directory, DateTimeOffset modifiedBefore)
    {
        var options = new EnumerationOptions { AttributesToSkip = FileAttributes.None };
        var entries = new FileSystemEnumerable<string>(directory, (ref FileSystemEntry entry) => entry.ToFullPath(), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && entry.LastWriteTimeUtc < modifiedBefore,
        };
        return [.. entries];
    }
}
