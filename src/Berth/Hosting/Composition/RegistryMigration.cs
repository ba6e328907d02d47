using Berth.Domain;
using Berth.Storage.Migration;
using Microsoft.Extensions.Options;

namespace Berth.Hosting.Composition;

/// <summary>What a migration moved and what it left behind.</summary>
/// <param name="Tables">Rows copied, per table, in copy order.</param>
/// <param name="Blobs">The blob copy.</param>
/// <param name="LeftBehind">Rows not moved, per table, with why.</param>
public sealed record MigrationReport(
    IReadOnlyList<(string Table, long Rows)> Tables, BlobCopyReport Blobs, IReadOnlyList<(string Table, long Rows, string Why)> LeftBehind);

/// <summary>
/// Moves a single-node registry (SQLite metadata, blobs in any blob store) into an empty PostgreSQL database and another
/// blob store: every table by name and column, in dependency order (<see cref="MigrationTables"/>), values unchanged.
/// </summary>
/// <remarks>
/// Order makes it safe to interrupt: blobs are copied first (content-addressed, verified, skipped when already there),
/// then every table in one transaction. Until that commit the database stays empty, so running the migration again
/// picks up where it stopped; after it, the database holds data and a second run refuses.
/// </remarks>
public static class RegistryMigration
{
    /// <summary>
    /// Moves the registry <paramref name="source"/> (composed on <c>sqlite</c> and <c>filesystem</c>) holds into what
    /// <paramref name="target"/> (composed on <c>postgres</c> and <c>s3</c>, storage prepared) holds.
    /// </summary>
    /// <exception cref="MigrationRefusedException">The source or the target is not fit; nothing was written to the database.</exception>
    public static Task<MigrationReport> RunAsync(IServiceProvider source, IServiceProvider target, CancellationToken cancellationToken) => RunAsync(
        source.GetRequiredService<IOptions<SqliteOptions>>().Value.Path!,
        source.GetRequiredService<IBlobStore>(),
        new PostgresTarget(target.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString!),
        target.GetRequiredService<IMetadataPresence>().Location,
        target.GetRequiredService<IBlobStore>(),
        cancellationToken);

    /// <exception cref="MigrationRefusedException">The source or the target is not fit; nothing was written to the database.</exception>
    public static async Task<MigrationReport> RunAsync(
        string sqlitePath, IBlobStore sourceBlobs, PostgresTarget target, string targetName, IBlobStore targetBlobs, CancellationToken cancellationToken)
    {
        await using var source = await SqliteSource.OpenAsync(sqlitePath, cancellationToken);
        var tables = await source.ListTablesAsync(cancellationToken);
        if (tables.FirstOrDefault(table => !MigrationTables.IsKnown(table)) is { } unknown)
        {
            throw new MigrationRefusedException($"berth: the source has a table this version of migrate does not know ('{unknown}'); use the berth that wrote it");
        }

        var copies = new List<TableCopy>();
        foreach (var table in MigrationTables.Copied)
        {
            copies.Add(await PlanAsync(source, target, table, cancellationToken));
        }

        var targetTables = tables.Where(table => table != "schema_migrations" && !MigrationTables.Replaced.Contains(table)).ToArray();
        if (await target.ListNonEmptyAsync(targetTables, cancellationToken) is { Count: > 0 } taken)
        {
            throw TargetNotEmpty(targetName, taken);
        }

        var blobs = await BlobCopy.RunAsync(await source.ListBlobDigestsAsync(cancellationToken), sourceBlobs, targetBlobs, cancellationToken);

        var (copied, takenMeanwhile) = await target.CopyAsync(targetTables, copies, cancellationToken);
        if (takenMeanwhile.Count > 0)
        {
            throw TargetNotEmpty(targetName, takenMeanwhile);
        }

        var leftBehind = new List<(string, long, string)>();
        foreach (var (table, why) in MigrationTables.LeftBehind)
        {
            if (table != "schema_migrations" && tables.Contains(table))
            {
                leftBehind.Add((table, await source.CountAsync(table, cancellationToken), why));
            }
        }

        return new MigrationReport(copied, blobs, leftBehind);
    }

    /// <summary>Pairs the source's columns with the target's, refusing a table whose columns differ by name.</summary>
    private static async Task<TableCopy> PlanAsync(SqliteSource source, PostgresTarget target, string table, CancellationToken cancellationToken)
    {
        var sourceColumns = await source.ListColumnsAsync(table, cancellationToken);
        var targetColumns = await target.ListColumnsAsync(table, cancellationToken);
        if (sourceColumns.Count == 0 || targetColumns.Count == 0)
        {
            throw new MigrationRefusedException($"berth: table '{table}' is missing from the {(sourceColumns.Count == 0 ? "source" : "target")}; both must be at this berth's schema");
        }

        var columns = new List<PostgresTarget.Column>();
        foreach (var name in sourceColumns)
        {
            if (!targetColumns.TryGetValue(name, out var column))
            {
                throw new MigrationRefusedException($"berth: column {table}.{name} is missing from the target; both must be at this berth's schema");
            }

            columns.Add(column);
        }

        if (targetColumns.Keys.FirstOrDefault(name => !sourceColumns.Contains(name)) is { } extra)
        {
            throw new MigrationRefusedException($"berth: column {table}.{extra} is missing from the source; both must be at this berth's schema");
        }

        return new TableCopy(table, columns, token => source.ReadRowsAsync(table, sourceColumns, token));
    }

    private static MigrationRefusedException TargetNotEmpty(string targetName, IReadOnlyList<(string Table, long Rows)> taken) => new(
        $"berth: the target database {targetName} already holds Berth data ({string.Join(", ", taken.Select(t => $"{t.Rows} rows in {t.Table}"))}); migrate only into an empty database");
}

/// <summary>A reason migrate will not go on, as the one line it prints; nothing has been written to the target database.</summary>
public sealed class MigrationRefusedException(string message) : Exception(message);
