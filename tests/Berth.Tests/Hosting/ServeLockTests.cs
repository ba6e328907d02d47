using Berth.Cli;
using Berth.Domain.Collection;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Hosting;

public sealed class ServeLockTests
{
    [Fact]
    public async Task A_second_server_on_the_same_data_dir_is_refused_with_one_line_naming_it()
    {
        using var directory = new TempDirectory();
        await using var first = await BerthHost.StartAsync(dataDir: directory.Path);

        var refused = await Assert.ThrowsAsync<DataDirectoryInUseException>(() => BerthHost.StartAsync(dataDir: directory.Path));

        Assert.Contains(Path.GetFullPath(directory.Path), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        await first.Ecr().OkAsync("CreateRepository", """{"repositoryName":"still-serving"}""");
    }

    [Fact]
    public async Task The_data_dir_is_free_again_once_the_server_stops()
    {
        using var directory = new TempDirectory();
        await using (await BerthHost.StartAsync(dataDir: directory.Path))
        {
        }

        await using var second = await BerthHost.StartAsync(dataDir: directory.Path);
        await second.Ecr().OkAsync("DescribeRepositories");
    }

    [Fact]
    public async Task Admin_commands_keep_working_beside_a_server()
    {
        using var directory = new TempDirectory();
        await using var server = await BerthHost.StartAsync(dataDir: directory.Path);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Berth:DataDir"] = directory.Path,
            ["Berth:AccountId"] = "123456789012",
        }).Build();

        await using var admin = await AdminServices.OpenAsync(configuration, existingOnly: true, CancellationToken.None);

        Assert.NotNull(admin);
        await admin.GetRequiredService<GarbageCollector>().CollectAsync(TimeSpan.Zero, CancellationToken.None);
    }
}
