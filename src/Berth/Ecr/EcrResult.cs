using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Domain;

namespace Berth.Ecr;

/// <summary>What an operation answers: a body with its source-generated type info, or an error.</summary>
public readonly struct EcrResult
{
    private EcrResult(object? body, JsonTypeInfo? typeInfo, EcrError? error)
    {
        Body = body;
        TypeInfo = typeInfo;
        Error = error;
    }

    public object? Body { get; }

    public JsonTypeInfo? TypeInfo { get; }

    public EcrError? Error { get; }

    public static EcrResult Ok<T>(T body, JsonTypeInfo<T> typeInfo) => new(body, typeInfo, null);

    public static EcrResult Fail(EcrError error) => new(null, null, error);

    public static implicit operator EcrResult(EcrError error) => Fail(error);

    public static implicit operator EcrResult(DomainError error) => Fail(EcrErrors.From(error));

    public void WriteBody(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, Body, TypeInfo!);
}
