namespace Berth.Hosting;

/// <summary>Recognises a request body whose framing the server could not read, which is the client's error.</summary>
public static class MalformedBody
{
    /// <remarks>
    /// Kestrel reports most framing errors as <see cref="BadHttpRequestException"/>, but a chunk size too large for
    /// its arithmetic as an <see cref="IOException"/> wrapping the <see cref="OverflowException"/>.
    /// </remarks>
    public static bool Is(Exception exception) =>
        exception is BadHttpRequestException or IOException { InnerException: OverflowException };

    public static int StatusOf(Exception exception) =>
        exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
}
