using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>One open-mode (<c>--auth none</c>) server shared by a test class whose tests each use their own repositories.</summary>
public sealed class OpenRegistryFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(_data.Path, auth: "none");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _data.Dispose();
    }
}
