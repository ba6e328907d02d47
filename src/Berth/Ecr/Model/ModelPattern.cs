using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Ecr.Model;

/// <summary>Compiles a model pattern (Java regex syntax, unanchored) into a whole-string .NET matcher.</summary>
internal static class ModelPattern
{
    // ECR evaluates patterns with Java semantics, where \d \w \s are ASCII-only; .NET's are Unicode-aware.
    private const string Digit = "0-9";
    private const string Word = "a-zA-Z0-9_";
    private const string Space = @" \t\n\x0B\f\r";

    /// <summary>
    /// Anchors with <c>\A(?:…)\z</c> so the pattern must cover the whole string (<c>$</c> would also accept a
    /// trailing newline). The non-backtracking engine keeps matching linear in the input, which matters
    /// because patterns come from data and inputs come from clients.
    /// </summary>
    public static Regex Compile(string pattern) =>
        new(@"\A(?:" + ToDotNet(pattern) + @")\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    internal static string ToDotNet(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                var replacement = (next, inClass) switch
                {
                    ('d', false) => "[" + Digit + "]",
                    ('D', false) => "[^" + Digit + "]",
                    ('w', false) => "[" + Word + "]",
                    ('W', false) => "[^" + Word + "]",
                    ('s', false) => "[" + Space + "]",
                    ('S', false) => "[^" + Space + "]",
                    ('d', true) => Digit,
                    ('w', true) => Word,
                    ('s', true) => Space,
                    _ => null,
                };
                if (replacement is null)
                {
                    result.Append(c).Append(next);
                }
                else
                {
                    result.Append(replacement);
                }

                continue;
            }

            if (c == '[' && !inClass)
            {
                inClass = true;
                result.Append(c);
                // A ']' right after '[' or '[^' is a literal in both dialects.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    result.Append(pattern[++i]);
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    result.Append(pattern[++i]);
                }

                continue;
            }

            if (c == ']' && inClass)
            {
                inClass = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }
}
