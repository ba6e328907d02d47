namespace Berth.Hosting;

/// <summary>The server cannot bind its listen address; the message is the one line to print.</summary>
public sealed class ListenAddressUnavailableException(string message) : Exception(message);
