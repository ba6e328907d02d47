using System.Security.Cryptography;
using Berth.Domain.Auth;

namespace Berth.Tests.Domain.Auth;

public sealed class SecretSealerTests
{
    private readonly SecretSealer _sealer = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_sealed_secret_hides_the_secret_and_opens_only_for_its_key_id_and_key()
    {
        const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        var sealedText = _sealer.Seal("AKIAEXAMPLE000000001", Secret);

        Assert.StartsWith(SecretSealer.Prefix, sealedText, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, sealedText, StringComparison.Ordinal);
        Assert.NotEqual(sealedText, _sealer.Seal("AKIAEXAMPLE000000001", Secret));
        Assert.Equal(Secret, _sealer.Unseal("AKIAEXAMPLE000000001", sealedText));
        Assert.Null(_sealer.Unseal("AKIAEXAMPLE000000002", sealedText));
        Assert.Null(new SecretSealer(RandomNumberGenerator.GetBytes(32)).Unseal("AKIAEXAMPLE000000001", sealedText));
        Assert.Null(_sealer.Unseal("AKIAEXAMPLE000000001", SecretSealer.Prefix + "not base64!"));
        Assert.Null(_sealer.Unseal("AKIAEXAMPLE000000001", SecretSealer.Prefix + "AAAA"));
    }

    [Fact]
    public void A_secret_stored_before_sealing_is_read_as_it_is()
    {
        Assert.False(SecretSealer.IsSealed("plain-secret"));
        Assert.Equal("plain-secret", _sealer.Unseal("AKIAEXAMPLE000000001", "plain-secret"));
    }
}
