namespace Berth.Diagnostics;

/// <summary>Log events of refused credentials, so an operator sees why a client's calls fail without asking it.</summary>
public static partial class AuthenticationLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Refused a signed request from {Address}: {ErrorType}: {Reason}")]
    public static partial void SignatureRefused(this ILogger logger, string? address, string errorType, string reason);
}
