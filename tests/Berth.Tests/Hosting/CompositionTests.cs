using Berth.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.Tests.Hosting;

/// <summary>The one composition path: the server and the admin commands build their services from AddBerth.</summary>
public sealed class CompositionTests
{
    private static readonly IConfiguration Empty = new ConfigurationBuilder().Build();

    [Fact]
    public void Admin_commands_compose_no_background_job_and_the_server_composes_all_three()
    {
        var admin = new ServiceCollection().AddBerth(Empty);
        var server = BerthApp.CreateBuilder(Empty).Services;

        Assert.DoesNotContain(admin, service => service.ServiceType == typeof(IHostedService));
        var jobs = server.Where(service => service.ServiceType == typeof(IHostedService)).Select(service => service.ImplementationType!.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "UploadPurgeJob", "GarbageCollectionJob", "LifecycleJob" }, jobs);
    }

    [Fact]
    public void No_command_builds_storage_or_domain_services_itself()
    {
        var cli = Path.Combine(SourceRoot(), "src", "Berth", "Cli");
        var files = Directory.GetFiles(cli, "*.cs");
        Assert.NotEmpty(files);

        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var forbidden in new[] { "Berth.Storage", "new Sqlite", "new FileSystemBlobStore", "new GarbageCollector", "new LifecycleService", "new ServiceCollection" })
            {
                if (Path.GetFileName(file) == "AdminServices.cs" && forbidden == "new ServiceCollection")
                {
                    continue;
                }

                Assert.False(text.Contains(forbidden, StringComparison.Ordinal), $"{Path.GetFileName(file)} contains '{forbidden}'; commands resolve services from AdminServices");
            }
        }
    }

    /// <summary>The clone the tests were built from: the nearest folder above the test binaries holding Berth.slnx.</summary>
    private static string SourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Berth.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Berth.slnx not found above " + AppContext.BaseDirectory);
    }
}
