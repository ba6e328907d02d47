using Berth.Domain.Auth;
using Berth.Tests.Ecr.SigV4;

namespace Berth.Tests.Domain.Auth;

public sealed class RegistryTokenGuardTests
{
    private static readonly DateTimeOffset Later = DateTimeOffset.UtcNow.AddHours(1);

    private readonly RegistryTokenGuard _guard = new(new FakeAccessKeyLookup().Add("AKIAGUARDROOTKEY0001", "s", "123456789012"));

    private static RegistryToken Token(string arn, string? accessKeyId, string account = "123456789012")
    {
        Assert.True(Principal.TryParse(arn, out var principal));
        return new RegistryToken(account, "us-east-1", principal, Later, accessKeyId);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:root", "AKIAGUARDROOTKEY0001", true)]
    [InlineData("arn:aws:iam::123456789012:root", "AKIAGUARDGONEKEY0001", false)]
    [InlineData("arn:aws:iam::123456789012:user/ci", "AKIAGUARDROOTKEY0001", false)]
    [InlineData("arn:aws:iam::123456789012:root", null, true)]
    [InlineData("arn:aws:iam::123456789012:user/ci", null, false)]
    public async Task A_token_stands_while_its_key_exists_and_acts_as_its_principal(string arn, string? accessKeyId, bool expected)
    {
        Assert.Equal(expected, await _guard.IsCurrentAsync(Token(arn, accessKeyId), CancellationToken.None));
    }

    [Fact]
    public async Task A_token_of_another_account_than_its_key_is_refused()
    {
        Assert.False(await _guard.IsCurrentAsync(Token("arn:aws:iam::210987654321:root", "AKIAGUARDROOTKEY0001", "210987654321"), CancellationToken.None));
    }
}
