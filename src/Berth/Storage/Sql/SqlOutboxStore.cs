using System.Data.Common;
using System.Globalization;
using Berth.Domain;
using Berth.Domain.Outbox;

namespace Berth.Storage.Sql;

/// <summary>The outbox: one row per message, due at <c>due_at</c> (Unix milliseconds), removed once handled.</summary>
internal sealed class SqlOutboxStore(ISqlDatabase database, TimeProvider time) : IOutboxStore
{
    private const string Columns = "id, kind, subject, payload, created_at, attempts, last_error";

    /// <summary>Adds messages inside a caller's transaction (a put's), due at once.</summary>
    public static void Insert(SqlSession db, IReadOnlyList<OutboxMessage> messages, DateTimeOffset now)
    {
        var millis = now.ToUnixTimeMilliseconds();
        foreach (var message in messages)
        {
            db.NonQuery(
                "INSERT INTO outbox (kind, subject, payload, created_at, due_at, attempts) VALUES ($p0, $p1, $p2, $p3, $p3, 0)",
                message.Kind, message.Subject, message.Payload, millis);
        }
    }

    public Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            Insert(db, messages, time.GetUtcNow());
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<OutboxEntry>>(db =>
        {
            List<OutboxEntry> due;
            using (var select = db.Command($"SELECT {Columns} FROM outbox WHERE due_at <= $p0 ORDER BY due_at, id LIMIT $p1", now.ToUnixTimeMilliseconds(), limit))
            {
                due = ReadAll(select);
            }

            var hiddenUntil = (now + claimFor).ToUnixTimeMilliseconds();
            for (var i = 0; i < due.Count; i++)
            {
                db.NonQuery("UPDATE outbox SET due_at = $p1, attempts = attempts + 1 WHERE id = $p0", due[i].Id, hiddenUntil);
                due[i] = due[i] with { Attempts = due[i].Attempts + 1 };
            }

            return due;
        }, cancellationToken);

    public Task<bool> CompleteAsync(long id, CancellationToken cancellationToken) =>
        database.WriteAsync(db => db.NonQuery("DELETE FROM outbox WHERE id = $p0", id) == 1, cancellationToken);

    public Task RetryAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery("UPDATE outbox SET due_at = $p1, last_error = $p2 WHERE id = $p0", id, dueAt.ToUnixTimeMilliseconds(), error),
            cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(string kind, string subject, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<OutboxEntry>>(db =>
        {
            using var select = db.Command($"SELECT {Columns} FROM outbox WHERE kind = $p0 AND subject = $p1 ORDER BY id", kind, subject);
            return ReadAll(select);
        }, cancellationToken);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var select = db.Command("SELECT MIN(due_at) FROM outbox");
            return select.ExecuteScalar() is { } value and not DBNull
                ? SqlSession.FromMillis(Convert.ToInt64(value, CultureInfo.InvariantCulture))
                : (DateTimeOffset?)null;
        }, cancellationToken);

    private static List<OutboxEntry> ReadAll(DbCommand command)
    {
        using var reader = command.ExecuteReader();
        var entries = new List<OutboxEntry>();
        while (reader.Read())
        {
            entries.Add(new OutboxEntry(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                SqlSession.FromMillis(Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture)),
                Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return entries;
    }
}
