using System.Buffers.Binary;
using System.Numerics;
using Berth.Domain;

namespace Berth.Storage.S3;

/// <summary>
/// SHA-256 (FIPS 180-4) whose running state can be saved and restored, so a chunked upload's hash can continue on
/// another node from the state stored beside the upload.
/// </summary>
/// <remarks>
/// .NET's <c>IncrementalHash</c> cannot export its midstate, and the alternative, re-reading every byte already stored
/// when an upload moves to another node, costs a full read of the upload from object storage (and S3 cannot read the
/// parts of an unfinished multipart upload at all). The exported state is at most 104 bytes: version, the eight
/// working words, the byte count and the partial block. The managed block loop runs in software (an eighth of the speed of the
/// hardware-assisted hash), so it is used only where the state has to leave the process: one-shot puts use
/// <c>IncrementalHash</c>. Whole blocks go through OpenSSL's block function where libcrypto 3 is there
/// (<see cref="OpenSslSha256Blocks"/>), which brings it to the platform hash's speed.
/// </remarks>
internal sealed class ResumableSha256
{
    private const byte StateVersion = 1;
    private const int BlockSize = 64;
    private const int HeaderSize = 1 + (8 * sizeof(uint)) + sizeof(long);

    /// <summary>The largest <see cref="Export"/> output.</summary>
    public const int MaxStateSize = HeaderSize + BlockSize - 1;

    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly uint[] _words = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    private readonly byte[] _pending = new byte[BlockSize];
    private int _pendingLength;

    /// <summary>The number of bytes hashed so far.</summary>
    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        Length += data.Length;
        if (_pendingLength > 0)
        {
            var take = Math.Min(BlockSize - _pendingLength, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < BlockSize)
            {
                return;
            }

            Compress(_words, _pending);
            _pendingLength = 0;
        }

        var whole = data.Length - (data.Length % BlockSize);
        CompressBlocks(_words, data[..whole], native: true);
        data = data[whole..];
        data.CopyTo(_pending);
        _pendingLength = data.Length;
    }

    /// <summary>The digest of everything appended so far; the state is left as it was, so appending may go on.</summary>
    public Digest Current()
    {
        var words = (uint[])_words.Clone();
        Span<byte> tail = stackalloc byte[BlockSize * 2];
        _pending.AsSpan(0, _pendingLength).CopyTo(tail);
        tail[_pendingLength] = 0x80;
        var tailLength = _pendingLength + 1 + 8 <= BlockSize ? BlockSize : BlockSize * 2;
        tail[(_pendingLength + 1)..tailLength].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(tail[(tailLength - 8)..], (ulong)Length * 8);
        Compress(words, tail[..BlockSize]);
        if (tailLength > BlockSize)
        {
            Compress(words, tail[BlockSize..]);
        }

        Span<byte> hash = stackalloc byte[32];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(hash[(i * 4)..], words[i]);
        }

        return Digest.Sha256(hash);
    }

    /// <summary>The running state, for <see cref="TryImport"/> on any node.</summary>
    public byte[] Export()
    {
        var state = new byte[HeaderSize + _pendingLength];
        state[0] = StateVersion;
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(state.AsSpan(1 + (i * 4)), _words[i]);
        }

        BinaryPrimitives.WriteInt64BigEndian(state.AsSpan(33), Length);
        _pending.AsSpan(0, _pendingLength).CopyTo(state.AsSpan(HeaderSize));
        return state;
    }

    /// <summary>Restores a state written by <see cref="Export"/>; null when it is not one (wrong version, inconsistent length).</summary>
    public static ResumableSha256? TryImport(ReadOnlySpan<byte> state)
    {
        if (state.Length < HeaderSize || state.Length > MaxStateSize || state[0] != StateVersion)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt64BigEndian(state[33..]);
        var pending = state[HeaderSize..];
        if (length < 0 || length % BlockSize != pending.Length)
        {
            return null;
        }

        var hash = new ResumableSha256 { Length = length, _pendingLength = pending.Length };
        for (var i = 0; i < 8; i++)
        {
            hash._words[i] = BinaryPrimitives.ReadUInt32BigEndian(state[(1 + (i * 4))..]);
        }

        pending.CopyTo(hash._pending);
        return hash;
    }

    /// <summary>
    /// Runs the block function over whole blocks: with <paramref name="native"/>, through OpenSSL where it can be loaded
    /// (<see cref="OpenSslSha256Blocks"/>, about eight times faster), else block by block here.
    /// </summary>
    internal static void CompressBlocks(uint[] words, ReadOnlySpan<byte> blocks, bool native)
    {
        if (blocks.IsEmpty || (native && OpenSslSha256Blocks.TryCompress(words, blocks)))
        {
            return;
        }

        for (; !blocks.IsEmpty; blocks = blocks[BlockSize..])
        {
            Compress(words, blocks[..BlockSize]);
        }
    }

    private static void Compress(uint[] words, ReadOnlySpan<byte> block)
    {
        Span<uint> schedule = stackalloc uint[64];
        for (var i = 0; i < 16; i++)
        {
            schedule[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
        }

        for (var i = 16; i < 64; i++)
        {
            var w15 = schedule[i - 15];
            var w2 = schedule[i - 2];
            var s0 = BitOperations.RotateRight(w15, 7) ^ BitOperations.RotateRight(w15, 18) ^ (w15 >> 3);
            var s1 = BitOperations.RotateRight(w2, 17) ^ BitOperations.RotateRight(w2, 19) ^ (w2 >> 10);
            schedule[i] = schedule[i - 16] + s0 + schedule[i - 7] + s1;
        }

        uint a = words[0], b = words[1], c = words[2], d = words[3], e = words[4], f = words[5], g = words[6], h = words[7];
        var k = RoundConstants;
        for (var i = 0; i < 64; i++)
        {
            var s1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            var choose = (e & f) ^ (~e & g);
            var t1 = h + s1 + choose + k[i] + schedule[i];
            var s0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            var majority = (a & b) ^ (a & c) ^ (b & c);
            var t2 = s0 + majority;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        words[0] += a;
        words[1] += b;
        words[2] += c;
        words[3] += d;
        words[4] += e;
        words[5] += f;
        words[6] += g;
        words[7] += h;
    }
}
