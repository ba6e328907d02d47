using System.Net;
using System.Net.Sockets;

namespace Berth.Hosting;

/// <summary>
/// Tries the listen address before the server prepares anything, so a taken port is one line naming it rather than a
/// started registry that then fails inside Kestrel with a stack trace.
/// </summary>
public static class ListenProbe
{
    /// <summary>Why <paramref name="listen"/> cannot be bound, or null when it can (or cannot be probed: a host name, port 0).</summary>
    public static string? Check(string listen)
    {
        if (Endpoint(listen) is not { } endpoint)
        {
            return null;
        }

        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel binds: a port left in TIME_WAIT by a server that just stopped is free to it, so it is free here.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true;
        }

        try
        {
            socket.Bind(endpoint);
            return null;
        }
        catch (SocketException e)
        {
            return Refusal(listen, e);
        }
    }

    /// <summary>The one line for a listen address the server could not bind; null for any other exception.</summary>
    public static string? Refusal(string listen, Exception exception)
    {
        var socket = exception as SocketException ?? exception.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse =>
                $"berth: cannot listen on {listen}: the address is already in use (another server holds the port); choose another with --listen or BERTH_LISTEN",
            SocketError.AccessDenied =>
                $"berth: cannot listen on {listen}: permission denied (ports below 1024 need privileges); choose another with --listen or BERTH_LISTEN",
            SocketError.AddressNotAvailable =>
                $"berth: cannot listen on {listen}: no network interface has that address",
            _ => null,
        };
    }

    private static IPEndPoint? Endpoint(string listen)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(listen);
        }
        catch (FormatException)
        {
            return null;
        }

        if (address.IsUnixPipe || address.Port == 0)
        {
            return null;
        }

        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, address.Port);
        }

        if (address.Host is "*" or "+" or "[::]")
        {
            return new IPEndPoint(IPAddress.IPv6Any, address.Port);
        }

        return IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, address.Port) : null;
    }
}
