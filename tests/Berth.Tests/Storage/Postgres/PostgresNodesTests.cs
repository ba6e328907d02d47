using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

/// <summary>Whole servers composed on <c>postgres</c> metadata, as <c>berth serve</c> composes them.</summary>
public sealed class PostgresNodesTests : IAsyncLifetime
{
    private readonly TempDirectory _dataDir = new();
    private string? _connectionString;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await TestPostgres.DropDatabaseAsync(_connectionString);
        }

        _dataDir.Dispose();
    }

    [Fact]
    public async Task Two_servers_on_one_database_and_one_data_dir_both_serve_and_see_each_others_writes()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var first = await StartNodeAsync();
        // The serve lock is SQLite's: a second node on the same database (even the same data dir) is not refused.
        await using var second = await StartNodeAsync();

        await first.Ecr().OkAsync("CreateRepository", """{"repositoryName":"shared"}""");

        var described = await second.Ecr().OkAsync("DescribeRepositories", """{"repositoryNames":["shared"]}""");
        Assert.Equal("shared", described.GetProperty("repositories")[0].GetProperty("repositoryName").GetString());
    }

    private Task<BerthHost> StartNodeAsync() => BerthHost.StartAsync(dataDir: _dataDir.Path, settings: new Dictionary<string, string?>
    {
        ["Berth:Storage:Metadata:Type"] = "postgres",
        ["Berth:Storage:Metadata:Postgres:ConnectionString"] = _connectionString,
    });
}
