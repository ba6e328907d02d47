using System.Text.Json;

namespace Berth.Bench.Http;

/// <summary>Small JSON bodies for the harness's own calls (not a hot path).</summary>
public static class Json
{
    /// <summary>A JSON string literal.</summary>
    public static string Str(string value) => JsonSerializer.Serialize(value, BenchJsonContext.Default.String);
}
