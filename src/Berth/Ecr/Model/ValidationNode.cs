using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Ecr.Model;

/// <summary>
/// A shape prepared for request validation: members resolved to nodes, names as UTF-8, patterns compiled
/// and constraint texts formatted, so the per-request walk only compares.
/// </summary>
internal sealed class ValidationNode
{
    private const string RepositoryNameShape = "RepositoryName";

    private ValidationNode(EcrShape shape, Lazy<Regex>? pattern)
    {
        Name = shape.Name;
        Type = shape.Type;
        Min = shape.Min;
        Max = shape.Max;
        Pattern = pattern;
        // AWS's model validation words constraints as "Member must ..."; ECR checks repository names itself and words
        // those without "Member" and quotes the pattern (both forms are what the services answer).
        var (member, patternForm) = shape.Name == RepositoryNameShape ? ("must", "must satisfy regular expression '{0}'") : ("Member must", "Member must satisfy regular expression pattern: {0}");
        var lengthOrValue = shape.Type is EcrShapeType.Integer or EcrShapeType.Long ? "have value" : "have length";
        MinConstraint = shape.Min is { } min ? $"{member} {lengthOrValue} greater than or equal to {Format(min)}" : null;
        MaxConstraint = shape.Max is { } max ? $"{member} {lengthOrValue} less than or equal to {Format(max)}" : null;
        PatternConstraint = shape.Pattern is { } text ? string.Format(CultureInfo.InvariantCulture, patternForm, text) : null;
        if (shape.EnumValues.Count > 0)
        {
            EnumUtf8 = new byte[shape.EnumValues.Count][];
            for (var i = 0; i < EnumUtf8.Length; i++)
            {
                EnumUtf8[i] = Encoding.UTF8.GetBytes(shape.EnumValues[i]);
            }

            EnumConstraint = $"Member must satisfy enum value set: [{string.Join(", ", shape.EnumValues)}]";
        }

        ChecksContent = shape.Min is not null || shape.Max is not null || pattern is not null;

        // As a list element the shape's constraints are reported together, all in AWS's "Member must" form,
        // longest bound first: "Member must satisfy constraint: [Member must have length less than or equal to …]".
        var asElement = new List<string>(4);
        if (shape.Max is { } upper)
        {
            asElement.Add($"Member must {lengthOrValue} less than or equal to {Format(upper)}");
        }

        if (shape.Min is { } lower)
        {
            asElement.Add($"Member must {lengthOrValue} greater than or equal to {Format(lower)}");
        }

        if (shape.Pattern is { } elementPattern)
        {
            asElement.Add($"Member must satisfy regular expression pattern: {elementPattern}");
        }

        if (EnumConstraint is not null)
        {
            asElement.Add(EnumConstraint);
        }

        ElementConstraint = asElement.Count == 0 ? null : $"Member must satisfy constraint: [{string.Join(", ", asElement)}]";
    }

    public string Name { get; }

    public EcrShapeType Type { get; }

    public long? Min { get; }

    public long? Max { get; }

    /// <summary>
    /// Compiled on the first value it checks: building the non-backtracking matchers of every model pattern costs tens
    /// of milliseconds of CPU, which the server would otherwise pay before it answers its first request.
    /// </summary>
    public Lazy<Regex>? Pattern { get; }

    /// <summary>Allowed values of an enum string as UTF-8, compared against the raw JSON without decoding.</summary>
    public byte[][]? EnumUtf8 { get; }

    /// <summary>True when a string's text is needed: it has a length bound or a pattern.</summary>
    public bool ChecksContent { get; }

    public string? MinConstraint { get; }

    public string? MaxConstraint { get; }

    public string? PatternConstraint { get; }

    public string? EnumConstraint { get; }

    /// <summary>How a violation is worded when this shape is the element of a list: every constraint at once.</summary>
    public string? ElementConstraint { get; }

    public ValidationMember[] Members { get; private set; } = [];

    /// <summary>Element of a list, or value of a map.</summary>
    public ValidationNode? Element { get; private set; }

    /// <summary>Key of a map.</summary>
    public ValidationNode? Key { get; private set; }

    /// <summary>Builds a node for every shape of the model, sharing one regex per distinct pattern (compiled when first used).</summary>
    public static Dictionary<string, ValidationNode> BuildAll(EcrModel model)
    {
        var regexes = new Dictionary<string, Lazy<Regex>>(StringComparer.Ordinal);
        var nodes = new Dictionary<string, ValidationNode>(model.Shapes.Count, StringComparer.Ordinal);
        foreach (var shape in model.Shapes.Values)
        {
            Lazy<Regex>? regex = null;
            if (shape.Pattern is { } pattern && !regexes.TryGetValue(pattern, out regex))
            {
                regex = new Lazy<Regex>(() => ModelPattern.Compile(pattern));
                regexes.Add(pattern, regex);
            }

            nodes.Add(shape.Name, new ValidationNode(shape, regex));
        }

        // Linked in a second pass so shapes may refer to each other in any order (or recursively).
        foreach (var shape in model.Shapes.Values)
        {
            var node = nodes[shape.Name];
            if (shape.Members.Count > 0)
            {
                var members = new ValidationMember[shape.Members.Count];
                for (var i = 0; i < members.Length; i++)
                {
                    var member = shape.Members[i];
                    members[i] = new ValidationMember(
                        member.Name, Encoding.UTF8.GetBytes(member.Name), nodes[member.Shape], member.IsRequired);
                }

                node.Members = members;
            }

            node.Element = shape.Type switch
            {
                EcrShapeType.List => nodes[shape.ListMember!],
                EcrShapeType.Map => nodes[shape.MapValue!],
                _ => null,
            };
            node.Key = shape.Type == EcrShapeType.Map ? nodes[shape.MapKey!] : null;
        }

        return nodes;
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A structure member prepared for lookup in a JSON object by its UTF-8 name.</summary>
internal readonly record struct ValidationMember(string Name, byte[] Utf8Name, ValidationNode Shape, bool IsRequired);
