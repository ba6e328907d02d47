using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Domain;
using Berth.Hosting;

namespace Berth.Ecr;

/// <summary>What an operation answers: a body with its source-generated type info, or an error.</summary>
public readonly struct EcrResult
{
    private EcrResult(object? body, JsonTypeInfo? typeInfo, EcrError? error, Func<StreamedJsonBody, Task<EcrError?>>? stream = null)
    {
        Body = body;
        TypeInfo = typeInfo;
        Error = error;
        Stream = stream;
    }

    public object? Body { get; }

    public JsonTypeInfo? TypeInfo { get; }

    public EcrError? Error { get; }

    /// <summary>
    /// For an answer too large to build whole: writes the body as it goes, or returns an error while it has sent
    /// nothing (<see cref="StreamedJsonBody.Started"/> false).
    /// </summary>
    internal Func<StreamedJsonBody, Task<EcrError?>>? Stream { get; }

    public static EcrResult Ok<T>(T body, JsonTypeInfo<T> typeInfo) => new(body, typeInfo, null);

    public static EcrResult Fail(EcrError error) => new(null, null, error);

    internal static EcrResult Streamed(Func<StreamedJsonBody, Task<EcrError?>> stream) => new(null, null, null, stream);

    public static implicit operator EcrResult(EcrError error) => Fail(error);

    public static implicit operator EcrResult(DomainError error) => Fail(EcrErrors.From(error));

    public void WriteBody(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, Body, TypeInfo!);
}
