using System.Text.Json.Serialization;

namespace Berth.Bench.Http;

/// <summary>Source-generated serialisation for the few values the harness writes.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
