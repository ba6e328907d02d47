using Berth.Storage.Caching;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// The read cache's change signal over a database shared by several nodes: every write transaction sends NOTIFY on
/// <see cref="Channel"/>, and one connection per node LISTENs and moves the generation on each notification.
/// </summary>
/// <remarks>
/// A change on another node is therefore seen once its notification arrives (milliseconds after the commit), and never
/// later than the cache's maximum age. While the listening connection is down, nothing announces other nodes' changes,
/// so <see cref="Generation"/> moves on every read instead: the cache answers nothing from memory until it is back.
/// </remarks>
internal sealed class PostgresChangeSignal : IChangeSignal, IAsyncDisposable
{
    public const string Channel = "berth_changes";

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listening;
    private long _generation;
    private volatile bool _listeningNow;

    public PostgresChangeSignal(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _listening = Task.Run(ListenAsync);
    }

    public long Generation => _listeningNow ? Volatile.Read(ref _generation) : Interlocked.Increment(ref _generation);

    /// <summary>Whether notifications from other nodes are being received.</summary>
    public bool Listening => _listeningNow;

    public void Moved() => Interlocked.Increment(ref _generation);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _listening;
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected way out of the loop.
        }

        _stop.Dispose();
    }

    private async Task ListenAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stop);
                connection.Notification += (_, _) => Moved();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                // Whatever changed while nobody listened is covered: the generation moved on every read meanwhile.
                Moved();
                _listeningNow = true;
                while (true)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException or InvalidOperationException)
            {
                _listeningNow = false;
                Moved();
                await Task.Delay(ReconnectDelay, stop);
            }
            finally
            {
                _listeningNow = false;
            }
        }
    }
}
