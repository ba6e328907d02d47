using System.Security.Cryptography;
using Berth.Domain;
using Berth.Storage.S3;

namespace Berth.Tests.Storage.S3;

/// <summary>The hand-written SHA-256 against .NET's, on random inputs split, saved and restored at random points.</summary>
public sealed class ResumableSha256Tests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(119)]
    [InlineData(120)]
    [InlineData(128)]
    [InlineData(1_000_003)]
    public void Digest_of_one_append_matches_the_platform(int length)
    {
        var content = new byte[length];
        new Random(length).NextBytes(content);
        var hash = new ResumableSha256();

        hash.Append(content);

        Assert.Equal(Digest.Sha256(SHA256.HashData(content)), hash.Current());
        Assert.Equal(length, hash.Length);
    }

    [Fact]
    public void Digest_survives_export_and_import_at_random_points()
    {
        var random = new Random(12);
        for (var round = 0; round < 300; round++)
        {
            var content = new byte[random.Next(0, 5000)];
            random.NextBytes(content);
            var hash = new ResumableSha256();
            var offset = 0;
            while (offset < content.Length)
            {
                var take = Math.Min(random.Next(0, 300), content.Length - offset);
                hash.Append(content.AsSpan(offset, take));
                offset += take;

                // Another node picks the state up from storage.
                var state = hash.Export();
                Assert.InRange(state.Length, 1, ResumableSha256.MaxStateSize);
                hash = ResumableSha256.TryImport(state)!;
                Assert.NotNull(hash);
                Assert.Equal(Digest.Sha256(SHA256.HashData(content.AsSpan(0, offset))), hash.Current());
            }

            Assert.Equal(Digest.Sha256(SHA256.HashData(content)), hash.Current());
        }
    }

    [Fact]
    public void Current_leaves_the_state_so_appending_goes_on()
    {
        var hash = new ResumableSha256();
        hash.Append("abc"u8);
        _ = hash.Current();

        hash.Append("def"u8);

        Assert.Equal(Digest.Compute("abcdef"u8), hash.Current());
    }

    [Fact]
    public void Import_refuses_a_state_it_did_not_write()
    {
        var hash = new ResumableSha256();
        hash.Append(new byte[70]);
        var state = hash.Export();

        Assert.Null(ResumableSha256.TryImport(state.AsSpan(0, state.Length - 1)));
        Assert.Null(ResumableSha256.TryImport([]));
        state[0] = 9;
        Assert.Null(ResumableSha256.TryImport(state));
    }

    [Fact]
    public void OpenSsl_and_managed_block_functions_agree()
    {
        var blocks = new byte[64 * 1000];
        new Random(21).NextBytes(blocks);
        uint[] start = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
        var managed = (uint[])start.Clone();
        var native = (uint[])start.Clone();

        ResumableSha256.CompressBlocks(managed, blocks, native: false);
        var loaded = OpenSslSha256Blocks.TryCompress(native, blocks);

        Assert.NotEqual(start, managed);
        if (OperatingSystem.IsLinux())
        {
            // libcrypto 3 is on every Linux the project builds and runs on; without it the hash silently slows eightfold.
            Assert.True(loaded, "libcrypto.so.3 could not be loaded");
            Assert.Equal(managed, native);
        }
        else
        {
            Assert.Equal(loaded ? managed : start, native);
        }
    }
}
