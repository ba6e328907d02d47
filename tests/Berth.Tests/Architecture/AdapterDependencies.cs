using System.Reflection;
using System.Text.RegularExpressions;

namespace Berth.Tests.Architecture;

/// <summary>
/// Finds where a protocol adapter (Berth.Ecr*, Berth.Oci*) depends on storage: a store port of the domain (an interface in
/// Berth.Domain* whose name ends with "Store") or any type of Berth.Storage*. Adapters must go through Domain services.
/// </summary>
internal static class AdapterDependencies
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static readonly string[] AdapterNamespaces = ["Berth.Ecr", "Berth.Oci", "Berth.Sts"];

    public static readonly string[] AdapterDirectories = ["src/Berth/Ecr", "src/Berth/Oci", "src/Berth/Sts"];

    public static Assembly Berth => typeof(global::Berth.Hosting.BerthServices).Assembly;

    /// <summary>The store ports and storage implementations an adapter must not name.</summary>
    public static IReadOnlySet<Type> ForbiddenTypes(Assembly assembly)
    {
        var forbidden = new HashSet<Type>();
        foreach (var type in assembly.GetTypes())
        {
            var ns = type.Namespace ?? "";
            if (IsStorePort(type) || (InNamespace(ns, "Berth.Storage") && !type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute))))
            {
                forbidden.Add(type);
            }
        }

        return forbidden;
    }

    public static bool IsStorePort(Type type) =>
        type.IsInterface && InNamespace(type.Namespace ?? "", "Berth.Domain") && type.Name.EndsWith("Store", StringComparison.Ordinal);

    public static IEnumerable<Type> AdapterTypes(Assembly assembly) =>
        assembly.GetTypes().Where(type => AdapterNamespaces.Any(ns => InNamespace(type.Namespace ?? "", ns)));

    /// <summary>"Type: member -> forbidden type" for every signature of <paramref name="types"/> that mentions a forbidden type.</summary>
    public static List<string> ReflectionViolations(IEnumerable<Type> types, IReadOnlySet<Type> forbidden)
    {
        var violations = new List<string>();
        foreach (var type in types)
        {
            void Check(string member, Type? used)
            {
                if (used is not null && Mentioned(used, forbidden) is { } hit)
                {
                    violations.Add($"{type.FullName}: {member} -> {hit.FullName}");
                }
            }

            Check("base type", type.BaseType);
            foreach (var contract in type.GetInterfaces())
            {
                Check("interface", contract);
            }

            foreach (var constructor in type.GetConstructors(Declared))
            {
                foreach (var parameter in constructor.GetParameters())
                {
                    Check($"constructor parameter {parameter.Name}", parameter.ParameterType);
                }
            }

            foreach (var field in type.GetFields(Declared))
            {
                Check($"field {field.Name}", field.FieldType);
            }

            foreach (var property in type.GetProperties(Declared))
            {
                Check($"property {property.Name}", property.PropertyType);
            }

            foreach (var method in type.GetMethods(Declared))
            {
                Check($"method {method.Name} return", method.ReturnType);
                foreach (var parameter in method.GetParameters())
                {
                    Check($"method {method.Name} parameter {parameter.Name}", parameter.ParameterType);
                }
            }
        }

        return violations;
    }

    /// <summary>The forbidden type names that occur as whole words in C# source text.</summary>
    public static List<string> SourceViolations(string source, IEnumerable<string> forbiddenNames)
    {
        var hits = new List<string>();
        foreach (var name in forbiddenNames)
        {
            if (Regex.IsMatch(source, $@"\b{Regex.Escape(name)}\b", RegexOptions.CultureInvariant))
            {
                hits.Add(name);
            }
        }

        return hits;
    }

    /// <summary>
    /// The names to look for in source: the storage namespace itself and each forbidden top-level type's simple name
    /// (a nested type is only ever written after its outer type's name).
    /// </summary>
    public static IEnumerable<string> SourceNames(IReadOnlySet<Type> forbidden)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal) { "Berth.Storage" };
        foreach (var type in forbidden)
        {
            if (!type.IsNested && !type.Name.Contains('<', StringComparison.Ordinal))
            {
                names.Add(type.Name.Split('`')[0]);
            }
        }

        return names;
    }

    /// <summary>The repository root: the first directory above the test binaries that holds Berth.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Berth.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Berth.slnx not found above " + AppContext.BaseDirectory);
    }

    private static Type? Mentioned(Type used, IReadOnlySet<Type> forbidden)
    {
        if (used.IsByRef || used.IsArray || used.IsPointer)
        {
            return Mentioned(used.GetElementType()!, forbidden);
        }

        if (forbidden.Contains(used) || (used.IsGenericType && forbidden.Contains(used.GetGenericTypeDefinition())))
        {
            return used;
        }

        if (used.IsGenericType)
        {
            foreach (var argument in used.GetGenericArguments())
            {
                if (Mentioned(argument, forbidden) is { } hit)
                {
                    return hit;
                }
            }
        }

        return null;
    }

    private static bool InNamespace(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);
}
