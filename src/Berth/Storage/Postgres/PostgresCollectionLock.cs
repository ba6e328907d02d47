using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// The collection lock on PostgreSQL: a session advisory lock on a connection kept open while the lock is held, so one
/// collector runs at a time across every node, another's attempt fails at once, and PostgreSQL releases it if the
/// holder's connection dies.
/// </summary>
internal sealed class PostgresCollectionLock(PostgresDatabase database)
{
    public async Task<IAsyncDisposable?> TryTakeAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenSessionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({PostgresMetadataStore.CollectionLockKey})", connection);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new HeldLock(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private sealed class HeldLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({PostgresMetadataStore.CollectionLockKey})", connection);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing the session releases the lock too, should the unlock have failed.
                await connection.DisposeAsync();
            }
        }
    }
}
