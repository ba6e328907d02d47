using Berth.Ecr.Model;

namespace Berth.Tests.Ecr.Model;

public sealed class ModelPatternTests
{
    [Theory]
    [InlineData(@"[0-9]{12}", @"[0-9]{12}")]
    [InlineData(@"^\S+$", @"^[^ \t\n\x0B\f\r]+$")]
    [InlineData(@"\d+\w", @"[0-9]+[a-zA-Z0-9_]")]
    [InlineData(@"[\w+=,.@-]+", @"[a-zA-Z0-9_+=,.@-]+")]
    [InlineData(@"[\d\s]", @"[0-9 \t\n\x0B\f\r]")]
    [InlineData(@"key\/[a-z0-9-]+", @"key\/[a-z0-9-]+")]
    [InlineData(@"[]\w]", @"[]a-zA-Z0-9_]")]
    [InlineData(@"\\w", @"\\w")]
    public void Java_shorthand_classes_become_ASCII_classes(string java, string dotNet) =>
        Assert.Equal(dotNet, ModelPattern.ToDotNet(java));

    [Theory]
    [InlineData("[0-9]{12}", "123456789012", true)]
    [InlineData("[0-9]{12}", "x123456789012", false)]
    [InlineData("[0-9]{12}", "123456789012\n", false)]
    [InlineData(@"^\S+$", "abc", true)]
    [InlineData(@"^\S+$", "a c", false)]
    [InlineData(@"^\S+$", "abc\n", false)]
    [InlineData(@"^$|arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+", "", true)]
    [InlineData(@"^$|arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+", "arn:aws:kms:us-east-1:123456789012:key/abc", true)]
    [InlineData(@"^$|arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+", "arn:aws:kms:us-east-1:123456789012:key/abc!", false)]
    [InlineData(@"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+", "sha256:0f", true)]
    [InlineData(@"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+", "sha256:0g", false)]
    public void Compiled_pattern_must_match_the_whole_string(string pattern, string input, bool matches) =>
        Assert.Equal(matches, ModelPattern.Compile(pattern).IsMatch(input));

    [Fact]
    public void Every_pattern_in_the_model_compiles()
    {
        foreach (var shape in EcrModel.Shared.Shapes.Values)
        {
            if (shape.Pattern is { } pattern)
            {
                _ = ModelPattern.Compile(pattern);
            }
        }
    }
}
