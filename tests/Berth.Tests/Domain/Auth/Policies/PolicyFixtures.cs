using System.Net;
using Berth.Domain.Auth;
using Berth.Domain.Auth.Policies;

namespace Berth.Tests.Domain.Auth.Policies;

/// <summary>Callers, resources and policy builders shared by the policy tests; JSON is written with single quotes.</summary>
internal static class PolicyFixtures
{
    public const string A = "111122223333";
    public const string B = "444455556666";
    public const string RepoArn = "arn:aws:ecr:us-east-1:111122223333:repository/app";
    public const string TeamRepoArn = "arn:aws:ecr:us-east-1:111122223333:repository/team/api";
    public const string RegistryArn = "arn:aws:ecr:us-east-1:111122223333:registry";

    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly Principal RootA = Principal.Root(A, "aws");
    public static readonly Principal Alice = new(A, "arn:aws:iam::111122223333:user/alice", PrincipalKind.User);
    public static readonly Principal Dave = new(A, "arn:aws:iam::111122223333:user/dave", PrincipalKind.User);
    public static readonly Principal CiBot = new(A, "arn:aws:iam::111122223333:user/ci-bot", PrincipalKind.User);
    public static readonly Principal DeploySession = new(A, "arn:aws:sts::111122223333:assumed-role/deploy/run-7", PrincipalKind.Role);
    public static readonly Principal RootB = Principal.Root(B, "aws");
    public static readonly Principal Bob = new(B, "arn:aws:iam::444455556666:user/bob", PrincipalKind.User);
    public static readonly Principal PullerSession = new(B, "arn:aws:sts::444455556666:assumed-role/puller/s1", PrincipalKind.Role);

    public static PolicyRequest Request(Principal principal, string action = "ecr:BatchGetImage", string resource = RepoArn) =>
        new(principal, action, resource, Now);

    public static Dictionary<string, string> Tags(params string[] pairs)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < pairs.Length; i += 2)
        {
            tags[pairs[i]] = pairs[i + 1];
        }

        return tags;
    }

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    /// <summary>Turns single quotes into double quotes, so policies read cleanly in C# strings.</summary>
    public static string J(string text) => text.Replace('\'', '"');

    /// <summary>An identity policy with one statement.</summary>
    public static string Identity(string effect, string action, string resource = "'*'", string? condition = null) =>
        J($"{{'Version':'2012-10-17','Statement':[{{'Effect':'{effect}','Action':{Quote(action)},'Resource':{resource}{Cond(condition)}}}]}}");

    /// <summary>A repository or registry policy with one statement; <paramref name="principal"/> is raw JSON.</summary>
    public static string Resource(string effect, string principal, string action, string? condition = null, string principalElement = "Principal", string? resource = null) =>
        J($"{{'Version':'2012-10-17','Statement':[{{'Sid':'s','Effect':'{effect}','{principalElement}':{principal},'Action':{Quote(action)}"
            + (resource is null ? "" : $",'Resource':{resource}") + $"{Cond(condition)}}}]}}");

    public static PolicyDocument Parse(string text, PolicyKind kind)
    {
        var result = PolicyParser.Parse(text, kind);
        Assert.True(result.IsSuccess, result.Error);
        return result.Policy;
    }

    private static string Quote(string action) => action.StartsWith('[') ? action : $"'{action}'";

    private static string Cond(string? condition) => condition is null ? "" : $",'Condition':{condition}";
}
