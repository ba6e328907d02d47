using Berth.Domain;
using Berth.Storage.Sqlite;

namespace Berth.Tests.Architecture;

/// <summary>The protocol adapters reach storage only through Domain services (docs/architecture.md).</summary>
public sealed class AdapterDependencyTests
{
    private static readonly IReadOnlySet<Type> Forbidden = AdapterDependencies.ForbiddenTypes(AdapterDependencies.Berth);

    [Fact]
    public void Forbidden_set_holds_every_store_port_and_the_storage_backends()
    {
        Assert.Contains(typeof(IMetadataStore), Forbidden);
        Assert.Contains(typeof(IImageStore), Forbidden);
        Assert.Contains(typeof(IBlobStore), Forbidden);
        Assert.Contains(typeof(IAccessKeyStore), Forbidden);
        Assert.Contains(typeof(SqliteDatabase), Forbidden);
        Assert.DoesNotContain(typeof(Digest), Forbidden);
    }

    [Fact]
    public void No_ECR_or_OCI_type_takes_holds_or_returns_a_store()
    {
        var types = AdapterDependencies.AdapterTypes(AdapterDependencies.Berth).ToList();
        Assert.NotEmpty(types);

        var violations = AdapterDependencies.ReflectionViolations(types, Forbidden);

        Assert.True(violations.Count == 0, "Adapters depend on storage:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void No_ECR_or_OCI_source_file_names_a_store()
    {
        var root = AdapterDependencies.RepositoryRoot();
        var names = AdapterDependencies.SourceNames(Forbidden).ToList();
        var violations = new List<string>();
        var scanned = 0;
        foreach (var directory in AdapterDependencies.AdapterDirectories)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, directory), "*.cs", SearchOption.AllDirectories))
            {
                scanned++;
                foreach (var name in AdapterDependencies.SourceViolations(File.ReadAllText(file), names))
                {
                    violations.Add($"{Path.GetRelativePath(root, file)}: {name}");
                }
            }
        }

        Assert.True(scanned > 20, $"only {scanned} adapter files found under {root}");
        Assert.True(violations.Count == 0, "Adapter sources name storage types:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Reflection_check_flags_a_constructor_parameter_field_or_generic_argument_of_a_store()
    {
        var violations = AdapterDependencies.ReflectionViolations([typeof(HandlerOverStore), typeof(HandlerOverLazyBlobs)], Forbidden);

        Assert.Contains(violations, v => v.Contains("constructor parameter store", StringComparison.Ordinal) && v.EndsWith(typeof(IMetadataStore).FullName!, StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("field", StringComparison.Ordinal) && v.EndsWith(typeof(IMetadataStore).FullName!, StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("method Open parameter blobs", StringComparison.Ordinal) && v.EndsWith(typeof(IBlobStore).FullName!, StringComparison.Ordinal));
    }

    [Fact]
    public void Reflection_check_passes_a_type_that_uses_only_domain_values()
    {
        Assert.Empty(AdapterDependencies.ReflectionViolations([typeof(HandlerOverDomain)], Forbidden));
    }

    [Fact]
    public void Source_scan_flags_store_names_and_the_storage_namespace_but_not_lookalikes()
    {
        var names = AdapterDependencies.SourceNames(Forbidden).ToList();

        Assert.Equal(
            ["Berth.Storage", "IMetadataStore"],
            AdapterDependencies.SourceViolations("using Berth.Storage.Sqlite;\nclass X(Domain.IMetadataStore store) { }", names).Order(StringComparer.Ordinal));
        Assert.Empty(AdapterDependencies.SourceViolations("class X(IMetadataStoreFactory f, BlobService blobs) { /* a store */ }", names));
    }

    private sealed class HandlerOverStore(IMetadataStore store)
    {
        public Task<Repository?> FindAsync(RepositoryKey key) => store.Repositories.GetAsync(key, CancellationToken.None);
    }

    private sealed class HandlerOverLazyBlobs
    {
        public static ValueTask<Stream?> Open(Lazy<IBlobStore> blobs, Digest digest) => blobs.Value.OpenReadAsync(digest, 0, null, CancellationToken.None);
    }

    private sealed class HandlerOverDomain(RepositoryKey key)
    {
        public RepositoryKey Key => key;

        public static Task<Page<string>> Empty() => Task.FromResult(new Page<string>([], null));
    }
}
