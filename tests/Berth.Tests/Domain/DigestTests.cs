using Berth.Domain;

namespace Berth.Tests.Domain;

public sealed class DigestTests
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string EmptySha512 =
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    [Fact]
    public void Sha256_digest_parses_into_algorithm_and_hex()
    {
        Assert.True(Digest.TryParse("sha256:" + EmptySha256, out var digest, out var error));

        Assert.Equal(DigestError.None, error);
        Assert.Equal(DigestAlgorithm.Sha256, digest.Algorithm);
        Assert.Equal(EmptySha256, digest.Hex.ToString());
        Assert.Equal("sha256:" + EmptySha256, digest.ToString());
        Assert.False(digest.IsEmpty);
    }

    [Fact]
    public void Sha512_digest_parses()
    {
        Assert.True(Digest.TryParse("sha512:" + EmptySha512, out var digest));

        Assert.Equal(DigestAlgorithm.Sha512, digest.Algorithm);
        Assert.Equal(Digest.Compute(DigestAlgorithm.Sha512, []), digest);
    }

    [Fact]
    public void Parsing_a_span_and_a_string_gives_equal_digests()
    {
        var text = "prefix sha256:" + EmptySha256;

        Assert.True(Digest.TryParse(text.AsSpan(7), out var fromSpan));
        Assert.True(Digest.TryParse(text[7..], out var fromString));

        Assert.Equal(fromString, fromSpan);
        Assert.Equal(fromString.GetHashCode(), fromSpan.GetHashCode());
    }

    [Fact]
    public void Computed_digest_equals_parsed_digest()
    {
        Assert.Equal(Digest.Parse("sha256:" + EmptySha256), Digest.Compute([]));
        Assert.Equal(
            Digest.Parse("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            Digest.Compute("abc"u8));
    }

    [Fact]
    public void Digest_from_a_hash_is_lowercase_hex()
    {
        var hash = Convert.FromHexString(EmptySha256.ToUpperInvariant());

        Assert.Equal("sha256:" + EmptySha256, Digest.Sha256(hash).ToString());
    }

    [Fact]
    public void Hash_of_the_wrong_size_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Digest.Sha256(new byte[31]));
    }

    [Theory]
    [InlineData("SHA256:" + EmptySha256)]
    [InlineData("sha256:../../etc/passwd")]
    [InlineData("sha256:../../etc")]
    [InlineData("sha256:ab/../../cd")]
    [InlineData("sha256:" + EmptySha256 + "/..")]
    [InlineData("../sha256:" + EmptySha256)]
    [InlineData("sha256:" + EmptySha256 + "\0")]
    [InlineData("sha256:" + EmptySha256 + " ")]
    [InlineData(" sha256:" + EmptySha256)]
    [InlineData("sha256:" + EmptySha256 + ":x")]
    [InlineData("sha256:")]
    [InlineData(":" + EmptySha256)]
    [InlineData("sha256" + EmptySha256)]
    [InlineData("sha256-:" + EmptySha256)]
    [InlineData("-sha256:" + EmptySha256)]
    [InlineData("sha__256:" + EmptySha256)]
    [InlineData("")]
    public void Malformed_digest_is_rejected(string text)
    {
        Assert.False(Digest.TryParse(text, out var digest, out var error));

        Assert.Equal(DigestError.Malformed, error);
        Assert.True(digest.IsEmpty);
    }

    [Theory]
    [InlineData("sha256:" + "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:" + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:" + EmptySha256 + "0")]
    [InlineData("sha256:" + "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:" + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8-5")]
    [InlineData("sha512:" + EmptySha256)]
    public void Supported_algorithm_with_bad_hex_is_rejected(string text)
    {
        Assert.False(Digest.TryParse(text, out _, out var error));

        Assert.Equal(DigestError.InvalidEncoding, error);
    }

    [Theory]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564")]
    [InlineData("blake3:" + EmptySha256)]
    public void Well_formed_digest_with_an_unsupported_algorithm_is_told_apart(string text)
    {
        Assert.False(Digest.TryParse(text, out _, out var error));

        Assert.Equal(DigestError.UnsupportedAlgorithm, error);
    }

    [Fact]
    public void Parse_throws_on_what_TryParse_rejects()
    {
        Assert.Throws<FormatException>(() => Digest.Parse("sha256:nope"));
    }

    [Fact]
    public void Null_string_is_not_a_digest()
    {
        Assert.False(Digest.TryParse((string?)null, out _));
    }

    [Fact]
    public void Default_digest_is_empty()
    {
        Digest digest = default;

        Assert.True(digest.IsEmpty);
        Assert.Equal("", digest.ToString());
        Assert.True(digest.Hex.IsEmpty);
    }

    [Fact]
    public void Digest_from_hex_accepts_only_what_parsing_accepts()
    {
        Assert.True(Digest.TryFromHex(DigestAlgorithm.Sha256, EmptySha256, out var digest));
        Assert.Equal(Digest.Compute([]), digest);
        Assert.False(Digest.TryFromHex(DigestAlgorithm.Sha256, "../" + EmptySha256[3..], out _));
        Assert.False(Digest.TryFromHex(DigestAlgorithm.Sha512, EmptySha256, out _));
        Assert.False(Digest.TryFromHex(DigestAlgorithm.None, EmptySha256, out _));
    }
}
