using System.Collections.Frozen;
using System.Text;
using Berth.Ecr.Model;
using static Berth.Tests.Ecr.Model.ValidatorAssert;

namespace Berth.Tests.Ecr.Model;

/// <summary>Shape types that no ECR input uses (maps, timestamps, doubles) checked through a small hand-written table.</summary>
public sealed class RequestValidatorTableTests
{
    private const string Table = """
        {
          "metadata": {"botocoreVersion": "0.0.0", "apiVersion": "2000-01-01", "targetPrefix": "Test_V1"},
          "operations": [
            {"name": "Put", "input": "PutRequest", "output": "PutResponse", "errors": ["ValidationException"]}
          ],
          "shapes": {
            "PutRequest": {"type": "structure", "members": {"labels": "Labels", "at": "Stamp", "ratio": "Ratio", "level": "Level"}},
            "PutResponse": {"type": "structure", "members": {}},
            "Labels": {"type": "map", "key": "LabelKey", "value": "Count", "min": 1, "max": 2},
            "LabelKey": {"type": "string", "min": 2, "pattern": "[a-z]+"},
            "Count": {"type": "integer", "max": 9},
            "Stamp": {"type": "timestamp"},
            "Ratio": {"type": "double"},
            "Level": {"type": "string", "enum": ["LOW", "HIGH"]},
            "ValidationException": {"type": "structure", "members": {"message": "Message"}, "exception": true},
            "Message": {"type": "string"}
          }
        }
        """;

    private static readonly EcrModel TableModel = EcrModel.Parse(Encoding.UTF8.GetBytes(Table));
    private static readonly RequestValidator TableValidator = new(TableModel);

    [Fact]
    public void Valid_map_timestamp_and_double_pass() =>
        Assert.Null(Run("""{"labels": {"ab": 1, "cd": 9}, "at": 1700000000.123, "ratio": 0.5, "level": "HIGH"}"""));

    [Theory]
    [InlineData("""{"labels": {}}""", "labels", "Member must have length greater than or equal to 1")]
    [InlineData("""{"labels": {"ab": 1, "cd": 2, "ef": 3}}""", "labels", "Member must have length less than or equal to 2")]
    [InlineData("""{"labels": {"a": 1}}""", "labels.a", "Member must have length greater than or equal to 2")]
    [InlineData("""{"labels": {"AB": 1}}""", "labels.AB", "Member must satisfy regular expression pattern: [a-z]+")]
    [InlineData("""{"labels": {"ab": 10}}""", "labels.ab", "Member must have value less than or equal to 9")]
    [InlineData("""{"labels": {"ab": null}}""", "labels.ab", "Member must not be null")]
    [InlineData("""{"level": "MEDIUM"}""", "level", "Member must satisfy enum value set: [LOW, HIGH]")]
    public void Constraint_failures_use_the_operation_error_type(string json, string path, string constraint) =>
        Assert.Equal(
            new ValidationFailure("ValidationException", $"Invalid parameter at '{path}' failed to satisfy constraint: '{constraint}'"),
            Run(json));

    [Theory]
    [InlineData("""{"labels": []}""", "Invalid value at 'labels': START_ARRAY can not be converted to a Map")]
    [InlineData("""{"labels": {"ab": "1"}}""", "Invalid value at 'labels.ab': STRING_VALUE can not be converted to an Integer")]
    [InlineData("""{"at": "2024-01-01T00:00:00Z"}""", "Invalid value at 'at': STRING_VALUE can not be converted to a Timestamp")]
    [InlineData("""{"ratio": "0.5"}""", "Invalid value at 'ratio': STRING_VALUE can not be converted to a Double")]
    [InlineData("""{"labels": {"ab": 1, "\ud800": 1}}""", "Invalid value at 'labels': a member name is not valid UTF-16")]
    [InlineData("""{"level": "\udc00"}""", "Invalid value at 'level': string is not valid UTF-16")]
    public void Type_failures_are_SerializationExceptions(string json, string message) =>
        Assert.Equal(new ValidationFailure("SerializationException", message), Run(json));

    [Fact]
    public void Operation_from_outside_the_table_is_resolved_by_input_shape_name()
    {
        var outsider = new EcrOperation("Put", "PutRequest", "PutResponse", FrozenSet<string>.Empty);

        var failure = Validate(TableValidator, outsider, """{"level": "x"}""");

        Assert.Equal("InvalidParameterException", failure?.ErrorType);
    }

    [Fact]
    public void Operation_with_an_unknown_input_shape_is_an_argument_error()
    {
        var outsider = new EcrOperation("Other", "OtherRequest", "PutResponse", FrozenSet<string>.Empty);

        Assert.Throws<ArgumentException>(() => Validate(TableValidator, outsider, "{}"));
    }

    private static ValidationFailure? Run(string json)
    {
        Assert.True(TableModel.TryGetOperation("Put", out var operation));
        return Validate(TableValidator, operation, json);
    }
}
