using System.Text;
using Berth.Domain;
using Berth.Domain.Images;

namespace Berth.Tests.Storage;

/// <summary>
/// What every metadata-store suite shares: a migrated store from the backend's harness, and the repositories, blobs and
/// images the tests build on. A backend runs a suite by deriving from it and naming its harness.
/// </summary>
public abstract class MetadataSuite : IAsyncLifetime
{
    protected const string Account = "111111111111";
    protected const string OtherAccount = "222222222222";
    protected const string Region = "us-east-1";
    protected const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    protected const string IndexType = "application/vnd.oci.image.index.v1+json";

    /// <summary>A time with milliseconds, the precision every backend must keep.</summary>
    protected static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected static readonly CancellationToken None = CancellationToken.None;

    private IMetadataStoreHarness? _harness;

    protected IMetadataStore Store { get; private set; } = null!;

    protected IImageStore Images => Store.Images;

    /// <summary>The backend under test over fresh, empty storage.</summary>
    protected abstract IMetadataStoreHarness CreateHarness();

    public virtual async Task InitializeAsync()
    {
        _harness = CreateHarness();
        Store = await _harness.OpenAsync();
        await Store.MigrateAsync(None);
    }

    public Task DisposeAsync() => _harness?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    /// <summary>A new store instance over the same storage, migrated, as after a restart.</summary>
    protected async Task<IMetadataStore> ReopenAsync()
    {
        var store = await _harness!.OpenAsync();
        await store.MigrateAsync(None);
        return store;
    }

    protected static RepositoryKey Key(string name, string account = Account, string region = Region) => new(account, region, name);

    protected static Repository Repo(string name, string account = Account, string region = Region) =>
        new(Key(name, account, region), Now, TagMutability.Mutable, [], false, "AES256", null);

    protected async Task<RepositoryKey> CreateRepositoryAsync(
        string name,
        TagMutability mutability = TagMutability.Mutable,
        string[]? filters = null,
        string account = Account)
    {
        var repository = Repo(name, account) with { Mutability = mutability, MutabilityExclusionFilters = filters ?? [] };
        Assert.True(await Store.Repositories.CreateAsync(repository, [], None));
        return repository.Key;
    }

    protected static BlobRecord Blob(string content) =>
        new(Digest.Compute(Encoding.UTF8.GetBytes(content)), Encoding.UTF8.GetByteCount(content), Now);

    protected async Task<BlobRecord> LinkAsync(RepositoryKey repository, string content)
    {
        var blob = Blob(content);
        Assert.True(await Images.LinkBlobAsync(repository, blob, None));
        return blob;
    }

    /// <summary>An image whose bytes are <paramref name="text"/>; the store never parses them.</summary>
    protected static (ImageRecord Image, byte[] Bytes) Image(
        string text,
        string mediaType = ManifestType,
        Digest? subject = null,
        string? artifactType = null,
        string? annotations = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var image = new ImageRecord(Digest.Compute(bytes), mediaType, bytes.Length, 1234, Now, "application/vnd.oci.image.config.v1+json", artifactType, subject, null)
        {
            AnnotationsJson = annotations,
        };
        return (image, bytes);
    }

    protected Task<PutImageOutcome> PutAsync(
        RepositoryKey repository,
        (ImageRecord Image, byte[] Bytes) image,
        string? tag,
        params ImageReference[] references) =>
        Images.PutImageAsync(repository, image.Image, image.Bytes, references, tag, None);

    protected static ImageReference BlobRef(BlobRecord blob) => new(blob.Digest, ImageReferenceKind.Blob);

    protected static ImageReference ManifestRef(ImageRecord image) => new(image.Digest, ImageReferenceKind.Manifest);
}
