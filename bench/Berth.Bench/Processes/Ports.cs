using System.Net;
using System.Net.Sockets;

namespace Berth.Bench.Processes;

/// <summary>Free loopback ports for the servers the harness starts.</summary>
public static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
