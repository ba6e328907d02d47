using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Berth.Ecr.Model;

/// <summary>The ECR service model (operations and shapes) derived from botocore and embedded in the server.</summary>
/// <remarks>The table is produced by <c>tools/gen-ecr-model.py</c>; it is read once and never changes.</remarks>
public sealed class EcrModel
{
    internal const string ResourceName = "Berth.Ecr.Model.ecr-model.json";

    private static readonly Lazy<EcrModel> SharedInstance = new(LoadEmbedded);

    private readonly FrozenDictionary<string, EcrOperation> _operationsByName;
    private readonly FrozenDictionary<string, EcrOperation>.AlternateLookup<ReadOnlySpan<char>> _operationsBySpan;
    private readonly FrozenDictionary<string, EcrShape> _shapes;

    internal EcrModel(
        string botocoreVersion,
        string apiVersion,
        string targetPrefix,
        IReadOnlyList<EcrOperation> operations,
        IReadOnlyDictionary<string, EcrShape> shapes)
    {
        BotocoreVersion = botocoreVersion;
        ApiVersion = apiVersion;
        TargetPrefix = targetPrefix;
        Operations = operations;
        var byName = new Dictionary<string, EcrOperation>(operations.Count, StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            byName.Add(operation.Name, operation);
        }

        _operationsByName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _operationsBySpan = _operationsByName.GetAlternateLookup<ReadOnlySpan<char>>();
        _shapes = shapes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The model embedded in this assembly, loaded on first use.</summary>
    public static EcrModel Shared => SharedInstance.Value;

    /// <summary>Version of the botocore package the table was generated from.</summary>
    public string BotocoreVersion { get; }

    /// <summary>The ECR API version, <c>2015-09-21</c>.</summary>
    public string ApiVersion { get; }

    /// <summary>Prefix of the <c>X-Amz-Target</c> header, before the <c>.</c> and the operation name.</summary>
    public string TargetPrefix { get; }

    /// <summary>Every operation, in model order.</summary>
    public IReadOnlyList<EcrOperation> Operations { get; }

    /// <summary>Every shape, by name.</summary>
    public IReadOnlyDictionary<string, EcrShape> Shapes => _shapes;

    /// <summary>Finds an operation by its exact (case-sensitive) name, without allocating.</summary>
    public bool TryGetOperation(ReadOnlySpan<char> name, [MaybeNullWhen(false)] out EcrOperation operation) =>
        _operationsBySpan.TryGetValue(name, out operation);

    public bool TryGetShape(string name, [MaybeNullWhen(false)] out EcrShape shape) =>
        _shapes.TryGetValue(name, out shape);

    /// <summary>Returns the named shape; the name must come from the model itself.</summary>
    public EcrShape GetShape(string name) =>
        _shapes.TryGetValue(name, out var shape)
            ? shape
            : throw new KeyNotFoundException($"The ECR model has no shape named '{name}'.");

    /// <summary>Reads a table in the format written by <c>tools/gen-ecr-model.py</c>.</summary>
    public static EcrModel Parse(ReadOnlyMemory<byte> utf8Json) => EcrModelReader.Read(utf8Json);

    private static EcrModel LoadEmbedded()
    {
        using var stream = typeof(EcrModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"Embedded resource '{ResourceName}' is missing; run tools/gen-ecr-model.py and rebuild.");
        var buffer = new byte[stream.Length];
        stream.ReadExactly(buffer);
        return Parse(buffer);
    }
}
