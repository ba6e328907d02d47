using System.Text.Json.Serialization;

namespace Berth.Domain.Signing;

/// <summary>How a signing configuration is stored: its rules as JSON text, in the model's member names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SigningConfiguration))]
internal sealed partial class SigningJson : JsonSerializerContext;
