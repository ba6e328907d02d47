using System.Reflection;
using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>
/// The shared suites are the contract a second backend implements, so every method of every storage port must be
/// named by a <see cref="CoversAttribute{TPort}"/> on a suite test that some backend runs.
/// </summary>
public sealed class ContractCoverageTests
{
    [Fact]
    public void Every_method_of_every_store_port_is_covered_by_a_shared_suite_test()
    {
        var covered = SuiteCovers(typeof(ContractCoverageTests).Assembly);

        var missing = Ports()
            .SelectMany(port => port.GetMethods().Where(method => !method.IsSpecialName).Select(method => (Port: port, method.Name)))
            .Distinct()
            .Where(method => !covered.Contains(method))
            .Select(method => $"{method.Port.Name}.{method.Name}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, "Port methods without a [Covers] suite test: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_Covers_names_a_method_of_its_port()
    {
        var wrong = SuiteCovers(typeof(ContractCoverageTests).Assembly)
            .Where(cover => !cover.Port.GetMethods().Any(method => method.Name == cover.Method))
            .Select(cover => $"{cover.Port.Name}.{cover.Method}")
            .ToList();

        Assert.Empty(wrong);
    }

    [Fact]
    public void The_ports_checked_include_every_metadata_part()
    {
        var ports = Ports().ToHashSet();

        Assert.Superset(
            new HashSet<Type> { typeof(IMetadataStore), typeof(IRepositoryStore), typeof(IImageStore), typeof(IUploadStore), typeof(ILifecycleStore), typeof(IAccessKeyStore), typeof(IUserStore), typeof(IPolicyStore) },
            ports);
    }

    /// <summary>The storage ports: domain interfaces named *Store, and the metadata store that holds the parts.</summary>
    private static IEnumerable<Type> Ports() =>
        typeof(IMetadataStore).Assembly.GetTypes()
            .Where(type => type.IsInterface
                && type.Namespace is { } ns && ns.StartsWith("Berth.Domain", StringComparison.Ordinal)
                && type.Name.EndsWith("Store", StringComparison.Ordinal))
            .Append(typeof(IMetadataStore))
            .Distinct();

    /// <summary>
    /// (port, method) pairs named by [Covers] on tests of abstract suites that at least one concrete class runs; a
    /// [Covers] on a test no backend runs would promise coverage nobody checks.
    /// </summary>
    private static HashSet<(Type Port, string Method)> SuiteCovers(Assembly tests)
    {
        var types = tests.GetTypes();
        var run = types.Where(type => type.IsAbstract && types.Any(other => !other.IsAbstract && other.IsSubclassOf(type)));
        return run
            .SelectMany(suite => suite.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .SelectMany(method => method.CustomAttributes)
            .Where(attribute => attribute.AttributeType.IsGenericType && attribute.AttributeType.GetGenericTypeDefinition() == typeof(CoversAttribute<>))
            .Select(attribute => (attribute.AttributeType.GetGenericArguments()[0], (string)attribute.ConstructorArguments[0].Value!))
            .ToHashSet();
    }
}
