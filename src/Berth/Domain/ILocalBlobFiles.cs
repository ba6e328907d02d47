using System.Diagnostics.CodeAnalysis;

namespace Berth.Domain;

/// <summary>Implemented by blob stores that keep each blob as a local file, so the HTTP layer can serve it with sendfile.</summary>
public interface ILocalBlobFiles
{
    /// <summary>The absolute path of the blob's file when it is stored; the file is read-only and never rewritten in place.</summary>
    bool TryGetLocalPath(Digest digest, [NotNullWhen(true)] out string? path);
}
