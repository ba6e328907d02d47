using System.Data.Common;
using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>Upload sessions.</summary>
internal sealed class SqlUploadStore(ISqlDatabase database) : IUploadStore
{
    private const string Columns = "u.id, r.account_id, r.region, r.name, u.started_at, u.updated_at, u.length, u.part_count, u.small_part_seen";

    public Task<bool> CreateAsync(UploadSession session, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            if (db.FindRepositoryId(session.Repository) is not { } id)
            {
                return false;
            }

            db.NonQuery("INSERT INTO uploads (id, repository_id, started_at, updated_at, length) VALUES ($p0, $p1, $p2, $p3, $p4)",
                session.Id.ToString(), id, session.StartedAt.ToUnixTimeMilliseconds(), session.UpdatedAt.ToUnixTimeMilliseconds(), session.Length);
            return true;
        }, cancellationToken);

    public Task<UploadSession?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command($"SELECT {Columns} FROM uploads u JOIN repositories r ON r.id = u.repository_id WHERE u.id = $p0", id.ToString());
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }, cancellationToken);

    public Task<bool> TouchAsync(Guid id, long length, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery("UPDATE uploads SET length = $p1, updated_at = $p2 WHERE id = $p0",
                id.ToString(), length, updatedAt.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<bool> RecordPartAsync(Guid id, long length, long partSize, long minimumPartSize, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery("""
                UPDATE uploads SET
                    small_part_seen = CASE WHEN part_count > 0 AND last_part_size < $p3 THEN 1 ELSE small_part_seen END,
                    part_count = part_count + 1, last_part_size = $p2, length = $p1, updated_at = $p4
                WHERE id = $p0
                """,
                id.ToString(), length, partSize, minimumPartSize, updatedAt.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery("DELETE FROM uploads WHERE id = $p0", id.ToString()) == 1,
            cancellationToken);

    public Task<IReadOnlyList<UploadSession>> ListIdleAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<UploadSession>>(db =>
        {
            using var command = db.Command(
                $"SELECT {Columns} FROM uploads u JOIN repositories r ON r.id = u.repository_id WHERE u.updated_at < $p0 ORDER BY u.updated_at LIMIT $p1",
                cutoff.ToUnixTimeMilliseconds(), limit);
            using var reader = command.ExecuteReader();
            var sessions = new List<UploadSession>();
            while (reader.Read())
            {
                sessions.Add(Read(reader));
            }

            return sessions;
        }, cancellationToken);

    private static UploadSession Read(DbDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        new RepositoryKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)),
        SqlSession.FromMillis(reader.GetInt64(4)),
        SqlSession.FromMillis(reader.GetInt64(5)),
        reader.GetInt64(6))
    {
        PartCount = reader.GetInt32(7),
        SmallPartSeen = reader.GetInt64(8) != 0,
    };
}
