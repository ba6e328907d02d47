using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Images;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Converts images between the domain and ECR's wire shapes.</summary>
public static class ImageMapping
{
    public static ImageId FromDto(ImageIdentifierDto dto) => new(dto.ImageDigest, dto.ImageTag);

    public static List<ImageId> FromDtos(IReadOnlyList<ImageIdentifierDto> dtos)
    {
        var ids = new List<ImageId>(dtos.Count);
        foreach (var dto in dtos)
        {
            ids.Add(FromDto(dto));
        }

        return ids;
    }

    public static ImageIdentifierDto ToDto(ImageId id) => new(id.Digest, id.Tag);

    public static ImageFailureDto ToDto(ImageFailure failure) => new(ToDto(failure.Id), failure.Kind.ToString(), failure.Reason);

    public static ImageDetailDto ToDetail(RepositoryKey repository, ImageRecord image) => new(
        repository.AccountId,
        repository.Name,
        image.Digest.ToString(),
        image.Tags.Count == 0 ? null : image.Tags,
        image.ImageSizeInBytes,
        image.PushedAt,
        image.MediaType,
        image.ArtifactMediaType,
        image.LastPulledAt,
        image.Subject?.ToString(),
        image.StorageClass == ImageStorageClass.Archive ? "ARCHIVED" : "ACTIVE",
        image.LastArchivedAt,
        image.LastActivatedAt);

    // Short enough that escaping a segment needs only a small buffer from the shared pool.
    private const int ManifestSegmentBytes = 16 * 1024;

    /// <summary>
    /// Writes one BatchGetImage image, as <see cref="ImageDto"/> would serialize, with the manifest straight from its
    /// stored bytes in segments: a 4 MiB manifest as one string value costs an 8 MiB string and a pooled escape
    /// buffer of up to 48 MiB, which the shared array pool then keeps for good.
    /// </summary>
    public static void WriteImage(Utf8JsonWriter writer, RepositoryKey repository, ImageRecord image, string? tag)
    {
        writer.WriteStartObject();
        writer.WriteString("registryId"u8, repository.AccountId);
        writer.WriteString("repositoryName"u8, repository.Name);
        writer.WritePropertyName("imageId"u8);
        writer.WriteStartObject();
        writer.WriteString("imageDigest"u8, image.Digest.ToString());
        if (tag is not null)
        {
            writer.WriteString("imageTag"u8, tag);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("imageManifest"u8);
        var manifest = image.Manifest!.Value.Span;
        do
        {
            var segment = manifest[..Math.Min(manifest.Length, ManifestSegmentBytes)];
            manifest = manifest[segment.Length..];
            writer.WriteStringValueSegment(segment, isFinalSegment: manifest.IsEmpty);
        }
        while (!manifest.IsEmpty);

        writer.WriteString("imageManifestMediaType"u8, image.MediaType);
        writer.WriteEndObject();
    }

    public static TagStatusFilter TagStatus(ImageFilterDto? filter) => TagStatus(filter?.TagStatus);

    public static TagStatusFilter TagStatus(string? tagStatus) => tagStatus switch
    {
        "TAGGED" => TagStatusFilter.Tagged,
        "UNTAGGED" => TagStatusFilter.Untagged,
        _ => TagStatusFilter.Any,
    };

    public static ImageStatusFilter ImageStatus(string? status) => status switch
    {
        "ARCHIVED" => ImageStatusFilter.Archived,
        "ACTIVATING" => ImageStatusFilter.Activating,
        "ANY" => ImageStatusFilter.Any,
        _ => ImageStatusFilter.Active,
    };

    public static IReadOnlyDictionary<string, string>? Annotations(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            annotations[property.Name] = property.Value.GetString() ?? string.Empty;
        }

        return annotations;
    }
}
