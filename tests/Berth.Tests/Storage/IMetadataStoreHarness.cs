using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>One metadata backend over one temporary storage location, for the shared suites; disposing removes it.</summary>
public interface IMetadataStoreHarness : IAsyncDisposable
{
    /// <summary>A store over the harness's storage: empty the first time, the same data again later, as after a restart.</summary>
    Task<IMetadataStore> OpenAsync();
}
