namespace Berth.Hosting.Composition;

/// <summary>Which backend holds metadata and which holds blobs: the <c>Berth:Storage</c> section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Berth:Storage";

    public StorageSelection Metadata { get; set; } = new() { Type = SqliteMetadataBackend.Type };

    public StorageSelection Blobs { get; set; } = new() { Type = FileSystemBlobBackend.Type };

    /// <summary>Binds the section into <paramref name="options"/>; an empty type counts as unset, like every other setting.</summary>
    public static void Bind(IConfiguration configuration, StorageOptions options)
    {
        var section = configuration.GetSection(SectionName);
        if (section["Metadata:Type"] is { Length: > 0 } metadata)
        {
            options.Metadata.Type = metadata;
        }

        if (section["Blobs:Type"] is { Length: > 0 } blobs)
        {
            options.Blobs.Type = blobs;
        }
    }
}

/// <summary>One kind of storage's choice of backend.</summary>
public sealed class StorageSelection
{
    public required string Type { get; set; }
}
