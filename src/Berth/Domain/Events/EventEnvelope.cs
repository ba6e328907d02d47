using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Domain.Events;

/// <summary>
/// Writes an event as EventBridge delivers ECR's: version "0", a uuid id, the detail-type, source "aws.ecr", the
/// account and region, the time in whole UTC seconds, the resources (the repository's ARN where ECR names it, see
/// <see cref="EventTypes.NamesRepositoryResource"/>), and the detail.
/// </summary>
public static class EventEnvelope
{
    public static string Write(string id, string type, RepositoryKey repository, DateTimeOffset time, Action<Utf8JsonWriter> detail)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "0");
            json.WriteString("id", id);
            json.WriteString("detail-type", type);
            json.WriteString("source", "aws.ecr");
            json.WriteString("account", repository.AccountId);
            json.WriteString("time", FormatTime(time));
            json.WriteString("region", repository.Region);
            json.WriteStartArray("resources");
            if (EventTypes.NamesRepositoryResource(type))
            {
                json.WriteStringValue(RepositoryArn.Format(repository));
            }

            json.WriteEndArray();
            json.WriteStartObject("detail");
            detail(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>ISO 8601 in UTC to the second, as EventBridge writes <c>time</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="values"/> as the array <paramref name="name"/>, at most <paramref name="limit"/> of them.</summary>
    public static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values, int limit = int.MaxValue)
    {
        json.WriteStartArray(name);
        for (var i = 0; i < values.Count && i < limit; i++)
        {
            json.WriteStringValue(values[i]);
        }

        json.WriteEndArray();
    }
}
