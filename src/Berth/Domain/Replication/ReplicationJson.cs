using System.Text.Json.Serialization;

namespace Berth.Domain.Replication;

/// <summary>How replication configurations and outbox payloads are stored (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReplicationConfiguration))]
[JsonSerializable(typeof(ReplicationTask))]
internal sealed partial class ReplicationJson : JsonSerializerContext;
