using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Hosting;

/// <summary>
/// Turns Kestrel's empty-bodied refusal into one with the error body of the protocol the request was sent to: the
/// OCI error list under /v2/, an AWS JSON error on POST /, and both in one object when the request line was not
/// read far enough to say.
/// </summary>
internal static class RejectionBody
{
    private static readonly byte[] EmptyLength = "\r\nContent-Length: 0\r\n"u8.ToArray();
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    /// <summary>The refusal with a body, or null when <paramref name="head"/> is not Kestrel's bodiless 4xx head.</summary>
    public static byte[]? TryRewrite(ReadOnlySpan<byte> head, Rejection rejection)
    {
        // Exactly one response head, a 4xx, with nothing after it: what Kestrel writes when it refuses a request.
        var lengthAt = head.IndexOf(EmptyLength);
        if (head.Length < 16 || !(head.StartsWith("HTTP/1.1 4"u8) || head.StartsWith("HTTP/1.0 4"u8))
            || head.IndexOf(EndOfHead) != head.Length - EndOfHead.Length
            || lengthAt < 0
            || string.Equals(rejection.Method, "HEAD", StringComparison.Ordinal))
        {
            return null;
        }

        var status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        var shape = ShapeOf(rejection);
        var body = Body(shape, status, rejection.Reason);

        var headers = new StringBuilder();
        headers.Append("\r\nContent-Type: application/json");
        if (shape != Shape.Oci)
        {
            headers.Append("\r\nx-amzn-ErrorType: ").Append(AwsType);
        }

        if (shape != Shape.Aws)
        {
            headers.Append("\r\nDocker-Distribution-API-Version: registry/2.0");
        }

        headers.Append("\r\nContent-Length: ").Append(body.Length).Append("\r\n");

        var output = new ArrayBufferWriter<byte>(head.Length + headers.Length + body.Length);
        output.Write(head[..lengthAt]);
        output.Write(Encoding.ASCII.GetBytes(headers.ToString()));
        output.Write(head[(lengthAt + EmptyLength.Length)..]);
        output.Write(body);
        return output.WrittenSpan.ToArray();
    }

    // AWS answers a request it cannot read with this type on every status.
    private const string AwsType = "SerializationException";

    private enum Shape
    {
        Oci,
        Aws,
        Either,
    }

    private static Shape ShapeOf(Rejection rejection) => rejection.Path switch
    {
        null => Shape.Either,
        "/" => Shape.Aws,
        var path when path.StartsWith("/v2", StringComparison.Ordinal) => Shape.Oci,
        _ => Shape.Either,
    };

    private static byte[] Body(Shape shape, int status, string? reason)
    {
        var message = status switch
        {
            414 => "The request line is longer than the server accepts.",
            431 => "The request headers are larger than the server accepts.",
            _ => "The request could not be read: " + (reason ?? "it is malformed."),
        };
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (shape != Shape.Oci)
            {
                writer.WriteString("__type"u8, AwsType);
                writer.WriteString("message"u8, message);
            }

            if (shape != Shape.Aws)
            {
                writer.WriteStartArray("errors"u8);
                writer.WriteStartObject();
                // OCI has no code for a request that cannot be read; registries answer these as unsupported.
                writer.WriteString("code"u8, "UNSUPPORTED"u8);
                writer.WriteString("message"u8, message);
                writer.WriteEndObject();
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
