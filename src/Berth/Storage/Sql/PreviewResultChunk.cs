using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Berth.Domain;
using Berth.Domain.Images;

namespace Berth.Storage.Sql;

/// <summary>
/// A run of a preview's results, consecutive by digest, packed into one value: a preview of 100,000 images is then a
/// few hundred rows to write, drop and page through instead of a row per image. Layout (all integers little-endian):
/// a version byte, the count, then per result the digest (ASCII), the tags (UTF-8, each length-prefixed), the push
/// time in Unix milliseconds, a flags byte (transition, archived) and the rule priority.
/// </summary>
internal static class PreviewResultChunk
{
    /// <summary>Results per chunk: a page of up to 1,000 results decodes a few chunks, and a chunk stays a few dozen KiB.</summary>
    public const int Size = 256;

    private const byte Version = 1;
    private const byte TransitionFlag = 1;
    private const byte ArchiveFlag = 2;

    /// <summary>Packs <paramref name="results"/>, which must be in digest order.</summary>
    public static byte[] Encode(ReadOnlySpan<PreviewResultRecord> results)
    {
        var buffer = new ArrayBufferWriter<byte>(results.Length * 112);
        Span<byte> head = stackalloc byte[5];
        head[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(head[1..], results.Length);
        buffer.Write(head);
        foreach (var result in results)
        {
            WriteText(buffer, result.Digest.ToString());
            WriteInt32(buffer, result.Tags.Count);
            for (var t = 0; t < result.Tags.Count; t++)
            {
                WriteText(buffer, result.Tags[t]);
            }

            var tail = buffer.GetSpan(13);
            BinaryPrimitives.WriteInt64LittleEndian(tail, result.PushedAt.ToUnixTimeMilliseconds());
            tail[8] = (byte)((result.Transition ? TransitionFlag : 0) | (result.StorageClass == ImageStorageClass.Archive ? ArchiveFlag : 0));
            BinaryPrimitives.WriteInt32LittleEndian(tail[9..], result.RulePriority);
            buffer.Advance(13);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Appends the chunk's results after <paramref name="afterDigest"/> that pass <paramref name="tagStatus"/> to
    /// <paramref name="into"/> until it holds <paramref name="wanted"/>.
    /// </summary>
    public static void Decode(byte[] chunk, string afterDigest, TagStatusFilter tagStatus, List<PreviewResultRecord> into, int wanted)
    {
        if (chunk.Length < 5 || chunk[0] != Version)
        {
            throw new InvalidDataException($"a lifecycle preview chunk of an unknown format (version {(chunk.Length == 0 ? -1 : chunk[0])})");
        }

        ReadOnlySpan<byte> data = chunk;
        var count = BinaryPrimitives.ReadInt32LittleEndian(data[1..]);
        var at = 5;
        var afterBytes = Encoding.ASCII.GetBytes(afterDigest);
        for (var r = 0; r < count && into.Count < wanted; r++)
        {
            var digest = ReadBytes(data, ref at);
            var tagCount = ReadInt32(data, ref at);
            var tagsAt = at;
            for (var t = 0; t < tagCount; t++)
            {
                ReadBytes(data, ref at);
            }

            var tail = data.Slice(at, 13);
            at += 13;
            var included = tagStatus switch
            {
                TagStatusFilter.Tagged => tagCount > 0,
                TagStatusFilter.Untagged => tagCount == 0,
                _ => true,
            };
            if (!included || digest.SequenceCompareTo(afterBytes) <= 0)
            {
                continue;
            }

            var tags = tagCount == 0 ? [] : new string[tagCount];
            for (var t = 0; t < tagCount; t++)
            {
                tags[t] = Encoding.UTF8.GetString(ReadBytes(data, ref tagsAt));
            }

            into.Add(new PreviewResultRecord(
                Digest.Parse(Encoding.ASCII.GetString(digest)),
                tags,
                DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(tail)),
                (tail[8] & TransitionFlag) != 0,
                BinaryPrimitives.ReadInt32LittleEndian(tail[9..]),
                (tail[8] & ArchiveFlag) != 0 ? ImageStorageClass.Archive : ImageStorageClass.Standard));
        }
    }

    private static void WriteText(ArrayBufferWriter<byte> buffer, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteInt32(buffer, length);
        buffer.Advance(Encoding.UTF8.GetBytes(text, buffer.GetSpan(length)));
    }

    private static void WriteInt32(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, ref int at)
    {
        var length = ReadInt32(data, ref at);
        var bytes = data.Slice(at, length);
        at += length;
        return bytes;
    }

    private static int ReadInt32(ReadOnlySpan<byte> data, ref int at)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        at += 4;
        return value;
    }
}
