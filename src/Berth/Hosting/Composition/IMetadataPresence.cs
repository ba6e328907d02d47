namespace Berth.Hosting.Composition;

/// <summary>
/// Whether the metadata backend already holds a registry, so that admin commands that only work on existing data
/// (gc, lifecycle run) stop on a mistyped location instead of creating an empty registry there.
/// </summary>
public interface IMetadataPresence
{
    /// <summary>Where the backend keeps its data, as the user would name it.</summary>
    string Location { get; }

    bool Exists();
}
