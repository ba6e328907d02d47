using Berth.Domain.Auth.Policies;

namespace Berth.Domain.Auth;

/// <summary>The check an identity policy's text gets before it is attached: the whole IAM grammar Berth evaluates.</summary>
public static class IdentityPolicyText
{
    /// <summary>Null when <paramref name="text"/> is a policy Berth can evaluate, or one line saying what is wrong.</summary>
    public static string? Problem(string text) =>
        PolicyParser.Parse(text, PolicyKind.Identity) is { IsSuccess: false } refused ? refused.Error : null;
}
