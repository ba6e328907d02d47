using Microsoft.Extensions.Options;

namespace Berth.Hosting.Composition;

/// <summary>Refuses a storage type no backend answers to, in one line listing the supported ones.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        Check("Metadata", options.Metadata.Type, StorageComposition.MetadataBackends)
        ?? Check("Blobs", options.Blobs.Type, StorageComposition.BlobBackends)
        ?? ValidateOptionsResult.Success;

    private static ValidateOptionsResult? Check(string kind, string type, IReadOnlyList<StorageBackend> backends)
    {
        if (StorageComposition.Find(backends, type) is not null)
        {
            return null;
        }

        var supported = new string[backends.Count];
        for (var i = 0; i < backends.Count; i++)
        {
            supported[i] = backends[i].Type;
        }

        return ValidateOptionsResult.Fail(
            $"berth: invalid value '{type}' for {StorageOptions.SectionName}:{kind}:Type: not supported (supported: {string.Join(", ", supported)})");
    }
}
