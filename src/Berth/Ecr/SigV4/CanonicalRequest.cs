using System.Buffers;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Berth.Ecr.SigV4;

/// <summary>Builds the SigV4 canonical request the way botocore and the AWS test suite do.</summary>
public static class CanonicalRequest
{
    /// <summary>The query parameter that carries a presigned request's signature and is left out of what it signs.</summary>
    public const string SignatureParameter = "X-Amz-Signature";

    /// <summary>
    /// Returns the canonical request for a request as it arrived on the wire.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawPath">The path exactly as received, still percent-encoded; it is normalised and encoded once more, as botocore signs it.</param>
    /// <param name="rawQuery">The query exactly as received, with or without the leading '?'.</param>
    /// <param name="headers">Header values by name; lookups must ignore case, as <c>IHeaderDictionary</c> does.</param>
    /// <param name="signedHeaders">The SignedHeaders value: lower-case names joined by ';'.</param>
    /// <param name="payloadHash">The hex SHA-256 of the body, or <c>UNSIGNED-PAYLOAD</c>.</param>
    /// <param name="presigned">Whether the signature travels in the query, so <c>X-Amz-Signature</c> is left out.</param>
    public static string Build(
        string method,
        string rawPath,
        string rawQuery,
        IDictionary<string, StringValues> headers,
        string signedHeaders,
        string payloadHash,
        bool presigned = false)
    {
        var builder = new Utf8Builder(stackalloc byte[1024]);
        try
        {
            Write(ref builder, method, rawPath, rawQuery, headers, signedHeaders, payloadHash, presigned);
            return Encoding.UTF8.GetString(builder.Written);
        }
        finally
        {
            builder.Dispose();
        }
    }

    internal static void Write(
        ref Utf8Builder builder,
        scoped ReadOnlySpan<char> method,
        scoped ReadOnlySpan<char> rawPath,
        scoped ReadOnlySpan<char> rawQuery,
        IDictionary<string, StringValues> headers,
        scoped ReadOnlySpan<char> signedHeaders,
        scoped ReadOnlySpan<char> payloadHash,
        bool presigned)
    {
        builder.Append(method);
        builder.Append((byte)'\n');
        WritePath(ref builder, rawPath);
        builder.Append((byte)'\n');
        WriteQuery(ref builder, rawQuery, presigned);
        builder.Append((byte)'\n');
        WriteHeaders(ref builder, headers, signedHeaders);
        builder.Append((byte)'\n');
        builder.Append(signedHeaders);
        builder.Append((byte)'\n');
        builder.Append(payloadHash);
    }

    /// <summary>Whether <paramref name="name"/> is one of the ';'-separated signed header names, ignoring case.</summary>
    internal static bool SignsHeader(ReadOnlySpan<char> signedHeaders, ReadOnlySpan<char> name)
    {
        foreach (var range in signedHeaders.Split(';'))
        {
            if (signedHeaders[range].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Dot segments and empty segments are dropped, as botocore's normalize_url_path does, then
    // each segment is percent-encoded: a path that arrived encoded ends up encoded twice.
    private static void WritePath(ref Utf8Builder builder, scoped ReadOnlySpan<char> rawPath)
    {
        if (rawPath.IsEmpty || rawPath is "/")
        {
            builder.Append((byte)'/');
            return;
        }

        var maxSegments = rawPath.Count('/') + 1;
        Range[]? rented = null;
        var kept = maxSegments <= 32 ? stackalloc Range[32] : (rented = ArrayPool<Range>.Shared.Rent(maxSegments));
        try
        {
            var count = 0;
            foreach (var range in rawPath.Split('/'))
            {
                var segment = rawPath[range];
                if (segment.IsEmpty || segment is ".")
                {
                    continue;
                }

                if (segment is "..")
                {
                    count = Math.Max(0, count - 1);
                    continue;
                }

                kept[count++] = range;
            }

            var start = builder.Length;
            if (rawPath[0] == '/')
            {
                builder.Append((byte)'/');
            }

            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    builder.Append((byte)'/');
                }

                AwsUriEncoding.AppendEncoded(ref builder, rawPath[kept[i]]);
            }

            if (count > 0 && rawPath[^1] == '/')
            {
                builder.Append((byte)'/');
            }

            if (builder.Length == start)
            {
                builder.Append((byte)'/');
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<Range>.Shared.Return(rented);
            }
        }
    }

    // Each key and value is decoded and re-encoded, then the pairs are sorted by key and value.
    private static void WriteQuery(ref Utf8Builder builder, scoped ReadOnlySpan<char> rawQuery, bool presigned)
    {
        if (rawQuery.StartsWith('?'))
        {
            rawQuery = rawQuery[1..];
        }

        if (rawQuery.IsEmpty)
        {
            return;
        }

        // A UTF-16 unit never takes more than 9 encoded bytes (a BMP character is 3 bytes, each "%XX").
        var scratch = ArrayPool<byte>.Shared.Rent(rawQuery.Length * 9);
        var parameters = ArrayPool<QueryParameter>.Shared.Rent(rawQuery.Count('&') + 1);
        var encoded = new Utf8Builder(scratch);
        try
        {
            var count = 0;
            foreach (var range in rawQuery.Split('&'))
            {
                var pair = rawQuery[range];
                if (pair.IsEmpty)
                {
                    continue;
                }

                var equals = pair.IndexOf('=');
                var keyStart = encoded.Length;
                AwsUriEncoding.AppendReencoded(ref encoded, equals < 0 ? pair : pair[..equals]);
                var keyLength = encoded.Length - keyStart;
                if (presigned && encoded.Written[keyStart..].SequenceEqual("X-Amz-Signature"u8))
                {
                    encoded.Truncate(keyStart);
                    continue;
                }

                AwsUriEncoding.AppendReencoded(ref encoded, equals < 0 ? default : pair[(equals + 1)..]);
                parameters[count++] = new QueryParameter(keyStart, keyLength, encoded.Length - keyStart - keyLength);
            }

            var sorted = parameters.AsSpan(0, count);
            sorted.Sort(new QueryParameterComparer(scratch));
            for (var i = 0; i < sorted.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append((byte)'&');
                }

                var parameter = sorted[i];
                builder.Append(parameter.Key(scratch));
                builder.Append((byte)'=');
                builder.Append(parameter.Value(scratch));
            }
        }
        finally
        {
            encoded.Dispose();
            ArrayPool<QueryParameter>.Shared.Return(parameters);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static void WriteHeaders(ref Utf8Builder builder, IDictionary<string, StringValues> headers, scoped ReadOnlySpan<char> signedHeaders)
    {
        foreach (var range in signedHeaders.Split(';'))
        {
            var name = signedHeaders[range];
            if (name.IsEmpty)
            {
                continue;
            }

            builder.Append(name);
            builder.Append((byte)':');
            if (headers.TryGetValue(HeaderKey(name), out var values))
            {
                for (var i = 0; i < values.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append((byte)',');
                    }

                    AppendTrimmed(ref builder, values[i]);
                }
            }

            builder.Append((byte)'\n');
        }
    }

    // Trims the value and collapses each run of whitespace inside it to one space.
    private static void AppendTrimmed(ref Utf8Builder builder, ReadOnlySpan<char> value)
    {
        var first = true;
        var i = 0;
        while (i < value.Length)
        {
            while (i < value.Length && char.IsWhiteSpace(value[i]))
            {
                i++;
            }

            var start = i;
            while (i < value.Length && !char.IsWhiteSpace(value[i]))
            {
                i++;
            }

            if (i > start)
            {
                if (!first)
                {
                    builder.Append((byte)' ');
                }

                builder.Append(value[start..i]);
                first = false;
            }
        }
    }

    // The headers botocore signs on every ECR call map to constants, so the lookup allocates nothing.
    private static string HeaderKey(ReadOnlySpan<char> name) => name switch
    {
        "host" => "host",
        "x-amz-date" => "x-amz-date",
        "x-amz-target" => "x-amz-target",
        "content-type" => "content-type",
        "x-amz-content-sha256" => "x-amz-content-sha256",
        "x-amz-security-token" => "x-amz-security-token",
        "content-length" => "content-length",
        "date" => "date",
        _ => name.ToString(),
    };

    private readonly record struct QueryParameter(int Start, int KeyLength, int ValueLength)
    {
        public ReadOnlySpan<byte> Key(byte[] scratch) => scratch.AsSpan(Start, KeyLength);

        public ReadOnlySpan<byte> Value(byte[] scratch) => scratch.AsSpan(Start + KeyLength, ValueLength);
    }

    private readonly struct QueryParameterComparer(byte[] scratch) : IComparer<QueryParameter>
    {
        public int Compare(QueryParameter x, QueryParameter y)
        {
            var byKey = x.Key(scratch).SequenceCompareTo(y.Key(scratch));
            return byKey != 0 ? byKey : x.Value(scratch).SequenceCompareTo(y.Value(scratch));
        }
    }
}
