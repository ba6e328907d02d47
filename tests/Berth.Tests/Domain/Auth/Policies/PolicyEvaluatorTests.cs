using Berth.Domain.Auth.Policies;
using static Berth.Domain.Auth.Policies.PolicyDecision;
using static Berth.Tests.Domain.Auth.Policies.PolicyFixtures;

namespace Berth.Tests.Domain.Auth.Policies;

/// <summary>
/// The evaluator table: each row is a request, the policies in play (identity policies of the caller, the repository
/// policy, the registry policy) and IAM's answer.
/// </summary>
public sealed class PolicyEvaluatorTests
{
    private sealed record Case(string Name, PolicyDecision Expected, PolicyRequest Request, string[] Identity, string? Repository = null, string? Registry = null);

    private const string AllowAll = "Allow";

    private static readonly string PullActions = "['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer','ecr:BatchCheckLayerAvailability']";

    private static readonly Case[] Table =
    [
        // Same account: identity policies, the root, and wildcards in actions and resources.
        new("root of the owning account needs no policy", Allow, Request(RootA), []),
        new("a user with no policy is implicitly denied", ImplicitDeny, Request(Alice), []),
        new("identity policy allows the exact action", Allow, Request(Alice), [Identity(AllowAll, "ecr:BatchGetImage")]),
        new("action wildcard star matches", Allow, Request(Alice), [Identity(AllowAll, "ecr:Batch*")]),
        new("action wildcard question mark matches one character", Allow, Request(Alice), [Identity(AllowAll, "ecr:BatchGetImag?")]),
        new("action match is case-insensitive", Allow, Request(Alice), [Identity(AllowAll, "ECR:batchgetimage")]),
        new("action star alone matches every action", Allow, Request(Alice, "ecr:DeleteRepository"), [Identity(AllowAll, "*")]),
        new("another action does not match", ImplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:PutImage")]),
        new("Describe star allows DescribeRepositories", Allow, Request(Alice, "ecr:DescribeRepositories", RegistryArn), [Identity(AllowAll, "ecr:Describe*")]),
        new("Describe star does not allow PutImage", ImplicitDeny, Request(Alice, "ecr:PutImage"), [Identity(AllowAll, "ecr:Describe*")]),
        new("Describe star does not allow BatchDeleteImage", ImplicitDeny, Request(Alice, "ecr:BatchDeleteImage"), [Identity(AllowAll, "ecr:Describe*")]),
        new("a Deny statement beats an Allow in the same policy", ExplicitDeny, Request(Alice),
            [J("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','Action':'ecr:BatchGetImage','Resource':'*'}]}")]),
        new("a Deny in one identity policy beats an Allow in another", ExplicitDeny, Request(Alice),
            [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:Batch*")]),
        new("identity resource naming the repository matches", Allow, Request(Alice), [Identity(AllowAll, "ecr:*", $"'{RepoArn}'")]),
        new("identity resource naming another repository does not", ImplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*", "'arn:aws:ecr:us-east-1:111122223333:repository/other'")]),
        new("resource wildcards match across the path of a name", Allow, Request(Alice, resource: TeamRepoArn), [Identity(AllowAll, "ecr:*", "'arn:aws:ecr:*:111122223333:repository/team/*'")]),
        new("resource wildcard for one account does not match another", ImplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*", "'arn:aws:ecr:*:999999999999:repository/*'")]),
        new("resource match is case-sensitive", ImplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*", "'arn:aws:ecr:us-east-1:111122223333:repository/APP'")]),
        new("NotResource excludes the named repository", ImplicitDeny, Request(Alice),
            [J($"{{'Version':'2012-10-17','Statement':{{'Effect':'Allow','Action':'ecr:*','NotResource':'{RepoArn}'}}}}")]),
        new("NotResource allows every other repository", Allow, Request(Alice, resource: TeamRepoArn),
            [J($"{{'Version':'2012-10-17','Statement':{{'Effect':'Allow','Action':'ecr:*','NotResource':'{RepoArn}'}}}}")]),
        new("NotAction allows the actions it does not name", Allow, Request(Alice),
            [J("{'Version':'2012-10-17','Statement':{'Effect':'Allow','NotAction':'ecr:Delete*','Resource':'*'}}")]),
        new("NotAction does not allow the actions it names", ImplicitDeny, Request(Alice, "ecr:DeleteRepository"),
            [J("{'Version':'2012-10-17','Statement':{'Effect':'Allow','NotAction':'ecr:Delete*','Resource':'*'}}")]),
        new("Deny with NotAction refuses everything but the named action", ExplicitDeny, Request(Alice, "ecr:PutImage"),
            [Identity(AllowAll, "ecr:*"), J("{'Version':'2012-10-17','Statement':{'Effect':'Deny','NotAction':'ecr:BatchGetImage','Resource':'*'}}")]),
        new("Deny with NotAction leaves the named action alone", Allow, Request(Alice),
            [Identity(AllowAll, "ecr:*"), J("{'Version':'2012-10-17','Statement':{'Effect':'Deny','NotAction':'ecr:BatchGetImage','Resource':'*'}}")]),

        // Same account: repository and registry policies.
        new("repository policy naming the user allows it without an identity policy", Allow, Request(Alice), [],
            Resource(AllowAll, "{'AWS':'arn:aws:iam::111122223333:user/alice'}", "ecr:BatchGetImage")),
        new("repository policy naming only the account delegates to identity policies", ImplicitDeny, Request(Alice), [],
            Resource(AllowAll, "{'AWS':'111122223333'}", "ecr:BatchGetImage")),
        new("repository policy with principal star allows a user of the account", Allow, Request(Alice), [],
            Resource(AllowAll, "'*'", "ecr:BatchGetImage")),
        new("repository policy Deny beats the identity policy", ExplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "{'AWS':'arn:aws:iam::111122223333:user/alice'}", "ecr:BatchGetImage")),
        new("repository policy Deny for everyone applies to the account root", ExplicitDeny, Request(RootA, "ecr:DeleteRepository"), [],
            Resource("Deny", "{'AWS':'*'}", "ecr:DeleteRepository")),
        new("repository policy Deny naming the account applies to its users", ExplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "{'AWS':'arn:aws:iam::111122223333:root'}", "ecr:*")),
        new("repository policy for another action grants nothing", ImplicitDeny, Request(Alice, "ecr:PutImage"), [],
            Resource(AllowAll, "'*'", PullActions)),
        new("repository policy Resource naming another repository does not apply", ImplicitDeny, Request(Alice), [],
            Resource(AllowAll, "'*'", "ecr:*", resource: "'arn:aws:ecr:us-east-1:111122223333:repository/other'")),
        new("registry policy naming the user allows it", Allow, Request(Alice), [], null,
            Resource(AllowAll, "{'AWS':['arn:aws:iam::111122223333:user/alice']}", "ecr:*", resource: "'arn:aws:ecr:us-east-1:111122223333:repository/*'")),
        new("registry policy Deny beats a repository policy Allow", ExplicitDeny, Request(Alice), [],
            Resource(AllowAll, "'*'", "ecr:*"), Resource("Deny", "'*'", "ecr:BatchGetImage")),
        new("role session is named by its role ARN with a path", Allow, Request(DeploySession), [],
            Resource(AllowAll, "{'AWS':'arn:aws:iam::111122223333:role/teams/deploy'}", "ecr:*")),

        // Cross account.
        new("another account's root is denied without a resource policy", ImplicitDeny, Request(RootB), []),
        new("another account's root is allowed when the repository policy names its account id", Allow, Request(RootB), [],
            Resource(AllowAll, "{'AWS':'444455556666'}", PullActions)),
        new("another account's root is allowed when the repository policy names its root ARN", Allow, Request(RootB), [],
            Resource(AllowAll, "{'AWS':'arn:aws:iam::444455556666:root'}", PullActions)),
        new("cross-account pull grant does not allow push", ImplicitDeny, Request(RootB, "ecr:PutImage"), [],
            Resource(AllowAll, "{'AWS':'444455556666'}", PullActions)),
        new("cross-account user needs its identity policy as well as the grant to its account", Allow, Request(Bob), [Identity(AllowAll, "ecr:BatchGetImage")],
            Resource(AllowAll, "{'AWS':'444455556666'}", PullActions)),
        new("cross-account user with the grant but no identity policy is denied", ImplicitDeny, Request(Bob), [],
            Resource(AllowAll, "{'AWS':'444455556666'}", PullActions)),
        new("cross-account user with an identity policy but no grant is denied", ImplicitDeny, Request(Bob), [Identity(AllowAll, "ecr:*")]),
        new("cross-account user named directly still needs its identity policy", ImplicitDeny, Request(Bob), [],
            Resource(AllowAll, "{'AWS':'arn:aws:iam::444455556666:user/bob'}", PullActions)),
        new("cross-account user named directly with an identity policy is allowed", Allow, Request(Bob), [Identity(AllowAll, "ecr:*")],
            Resource(AllowAll, "{'AWS':'arn:aws:iam::444455556666:user/bob'}", PullActions)),
        new("a grant to another user of the account does not name the caller", ImplicitDeny, Request(Bob), [Identity(AllowAll, "ecr:*")],
            Resource(AllowAll, "{'AWS':'arn:aws:iam::444455556666:user/carol'}", PullActions)),
        new("cross-account role session is named by its role ARN", Allow, Request(PullerSession), [Identity(AllowAll, "ecr:BatchGetImage")],
            Resource(AllowAll, "{'AWS':['arn:aws:iam::999999999999:root','arn:aws:iam::444455556666:role/puller']}", PullActions)),
        new("principal star grants another account's root", Allow, Request(RootB), [], Resource(AllowAll, "'*'", PullActions)),
        new("registry policy grant lets another account in", Allow, Request(RootB, "ecr:CreateRepository"), [], null,
            Resource(AllowAll, "{'AWS':'arn:aws:iam::444455556666:root'}", "['ecr:CreateRepository','ecr:ReplicateImage']", resource: "'arn:aws:ecr:us-east-1:111122223333:repository/*'")),
        new("a service principal never names an account", ImplicitDeny, Request(RootB), [],
            Resource(AllowAll, "{'Service':'codebuild.amazonaws.com'}", PullActions)),
        new("cross-account identity Deny beats the repository grant", ExplicitDeny, Request(Bob), [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:BatchGetImage")],
            Resource(AllowAll, "{'AWS':'444455556666'}", PullActions)),

        // NotPrincipal.
        new("Deny with NotPrincipal spares a user listed with its account", Allow, Request(Alice), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "{'AWS':['arn:aws:iam::111122223333:root','arn:aws:iam::111122223333:user/alice']}", "ecr:*", principalElement: "NotPrincipal")),
        new("Deny with NotPrincipal refuses a user not listed", ExplicitDeny, Request(Dave), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "{'AWS':['arn:aws:iam::111122223333:root','arn:aws:iam::111122223333:user/alice']}", "ecr:*", principalElement: "NotPrincipal")),
        new("Deny with NotPrincipal listing the user without its account still refuses it", ExplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "{'AWS':'arn:aws:iam::111122223333:user/alice'}", "ecr:*", principalElement: "NotPrincipal")),
        new("Allow with NotPrincipal grants a caller not listed", Allow, Request(Alice), [],
            Resource(AllowAll, "{'AWS':'444455556666'}", "ecr:*", principalElement: "NotPrincipal")),
        new("Allow with NotPrincipal does not grant the account listed", ImplicitDeny, Request(RootB), [],
            Resource(AllowAll, "{'AWS':'444455556666'}", "ecr:*", principalElement: "NotPrincipal")),

        // String operators and principal keys.
        new("StringEquals on aws:PrincipalAccount matches", Allow, Request(RootB), [],
            Resource(AllowAll, "'*'", "ecr:*", "{'StringEquals':{'aws:PrincipalAccount':'444455556666'}}")),
        new("StringEquals on aws:PrincipalAccount does not match another account", ImplicitDeny, Request(RootB), [],
            Resource(AllowAll, "'*'", "ecr:*", "{'StringEquals':{'aws:PrincipalAccount':'999999999999'}}")),
        new("several values of one key are OR-ed", Allow, Request(RootB), [],
            Resource(AllowAll, "'*'", "ecr:*", "{'StringEquals':{'aws:PrincipalAccount':['999999999999','444455556666']}}")),
        new("StringNotEquals on aws:PrincipalAccount denies outsiders", ExplicitDeny, Request(RootB), [],
            J("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*'},{'Effect':'Deny','Principal':'*','Action':'ecr:*','Condition':{'StringNotEquals':{'aws:PrincipalAccount':['111122223333']}}}]}")),
        new("StringNotEquals with several values is a NOR", Allow, Request(RootB), [],
            J("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*'},{'Effect':'Deny','Principal':'*','Action':'ecr:*','Condition':{'StringNotEquals':{'aws:PrincipalAccount':['111122223333','444455556666']}}}]}")),
        new("StringEqualsIgnoreCase on aws:PrincipalType", Allow, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'StringEqualsIgnoreCase':{'aws:PrincipalType':'user'}}")]),
        new("StringEquals on aws:PrincipalType is case-sensitive", ImplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'StringEquals':{'aws:PrincipalType':'user'}}")]),
        new("StringNotEqualsIgnoreCase on aws:PrincipalType spares the root", Allow, Request(RootA), [],
            Resource("Deny", "'*'", "ecr:*", "{'StringNotEqualsIgnoreCase':{'aws:PrincipalType':'ACCOUNT'}}")),
        new("StringNotEqualsIgnoreCase on aws:PrincipalType refuses a user", ExplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "'*'", "ecr:*", "{'StringNotEqualsIgnoreCase':{'aws:PrincipalType':'ACCOUNT'}}")),
        new("aws:PrincipalType of a role session is AssumedRole", Allow, Request(DeploySession), [Identity(AllowAll, "ecr:*", condition: "{'StringEquals':{'aws:PrincipalType':'AssumedRole'}}")]),
        new("StringLike on aws:PrincipalArn", Allow, Request(CiBot), [],
            Resource(AllowAll, "'*'", "ecr:*", "{'StringLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:user/ci-*'}}")),
        new("StringNotLike on aws:PrincipalArn refuses a non-matching user", ExplicitDeny, Request(Alice, "ecr:PutImage"), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "'*'", "ecr:PutImage", "{'StringNotLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:user/ci-*'}}")),
        new("StringNotLike on aws:PrincipalArn spares a matching user", Allow, Request(CiBot, "ecr:PutImage"), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "'*'", "ecr:PutImage", "{'StringNotLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:user/ci-*'}}")),
        new("ArnEquals on aws:PrincipalArn", Allow, Request(Alice), [],
            Resource(AllowAll, "'*'", "ecr:*", "{'ArnEquals':{'aws:PrincipalArn':'arn:aws:iam::111122223333:user/alice'}}")),
        new("ArnLike on aws:PrincipalArn reads a session as its role", Allow, Request(DeploySession), [],
            Resource(AllowAll, "'*'", "ecr:*", "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/deploy'}}")),
        new("ArnLike does not match another name", ImplicitDeny, Request(Alice), [],
            Resource(AllowAll, "'*'", "ecr:*", "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*:user/b*'}}")),
        new("ArnNotEquals refuses everyone but the named ARN", ExplicitDeny, Request(Dave), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "'*'", "ecr:*", "{'ArnNotEquals':{'aws:PrincipalArn':'arn:aws:iam::111122223333:user/alice'}}")),
        new("ArnNotLike spares a matching ARN", Allow, Request(Alice), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "'*'", "ecr:*", "{'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:user/a*'}}")),

        // Bool, Null, IP, dates, numbers.
        new("Bool aws:SecureTransport false denies a plain-HTTP request", ExplicitDeny, Request(Alice) with { SecureTransport = false }, [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "'*'", "ecr:*", "{'Bool':{'aws:SecureTransport':'false'}}")),
        new("Bool aws:SecureTransport false spares a TLS request", Allow, Request(Alice) with { SecureTransport = true }, [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "'*'", "ecr:*", "{'Bool':{'aws:SecureTransport':false}}")),
        new("Null true matches a resource without the tag", ExplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "'*'", "ecr:*", "{'Null':{'aws:ResourceTag/team':'true'}}")),
        new("Null true does not match a tagged resource", Allow, Request(Alice) with { ResourceTags = Tags("team", "web") }, [Identity(AllowAll, "ecr:*")],
            Resource("Deny", "'*'", "ecr:*", "{'Null':{'aws:ResourceTag/team':'true'}}")),
        new("Null false requires the request tag", ImplicitDeny, Request(Alice, "ecr:CreateRepository"), [Identity(AllowAll, "ecr:*", condition: "{'Null':{'aws:RequestTag/team':'false'}}")]),
        new("IpAddress matches an IPv4 range", Allow, Request(Alice) with { SourceIp = Ip("10.1.2.3") }, [Identity(AllowAll, "ecr:*", condition: "{'IpAddress':{'aws:SourceIp':['192.0.2.0/24','10.1.0.0/16']}}")]),
        new("IpAddress does not match outside the range", ImplicitDeny, Request(Alice) with { SourceIp = Ip("10.2.0.1") }, [Identity(AllowAll, "ecr:*", condition: "{'IpAddress':{'aws:SourceIp':'10.1.0.0/16'}}")]),
        new("IpAddress matches an IPv6 range", Allow, Request(Alice) with { SourceIp = Ip("2001:db8::17") }, [Identity(AllowAll, "ecr:*", condition: "{'IpAddress':{'aws:SourceIp':'2001:db8::/32'}}")]),
        new("IpAddress accepts a single address", Allow, Request(Alice) with { SourceIp = Ip("203.0.113.9") }, [Identity(AllowAll, "ecr:*", condition: "{'IpAddress':{'aws:SourceIp':'203.0.113.9'}}")]),
        new("IpAddress does not match an unknown source", ImplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'IpAddress':{'aws:SourceIp':'0.0.0.0/0'}}")]),
        new("NotIpAddress denies outside the range", ExplicitDeny, Request(Alice) with { SourceIp = Ip("198.51.100.1") }, [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:*", condition: "{'NotIpAddress':{'aws:SourceIp':'10.0.0.0/8'}}")]),
        new("NotIpAddress reads an IPv4-mapped IPv6 address as IPv4", Allow, Request(Alice) with { SourceIp = Ip("::ffff:10.9.8.7") }, [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:*", condition: "{'NotIpAddress':{'aws:SourceIp':'10.0.0.0/8'}}")]),
        new("DateLessThan on aws:CurrentTime before the deadline", Allow, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'DateLessThan':{'aws:CurrentTime':'2026-12-31T23:59:59Z'}}")]),
        new("DateGreaterThan on aws:CurrentTime before the start", ImplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'DateGreaterThan':{'aws:CurrentTime':'2027-01-01'}}")]),
        new("DateEquals with epoch seconds", Allow, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'DateEquals':{'aws:CurrentTime':'1780315200'}}")]),
        new("DateNotEquals with another instant", Allow, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'DateNotEquals':{'aws:CurrentTime':'2026-06-01T12:00:01Z'}}")]),
        new("DateLessThanEquals holds at the instant", Allow, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'DateLessThanEquals':{'aws:CurrentTime':'2026-06-01T14:00:00+02:00'}}")]),
        new("DateGreaterThanEquals fails a second early", ImplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'DateGreaterThanEquals':{'aws:CurrentTime':'2026-06-01T12:00:01Z'}}")]),
        new("NumericEquals on a tag value", Allow, Request(Alice) with { ResourceTags = Tags("tier", "2.0") }, [Identity(AllowAll, "ecr:*", condition: "{'NumericEquals':{'aws:ResourceTag/tier':2}}")]),
        new("NumericNotEquals on a tag value", ImplicitDeny, Request(Alice) with { ResourceTags = Tags("tier", "2") }, [Identity(AllowAll, "ecr:*", condition: "{'NumericNotEquals':{'aws:ResourceTag/tier':'2'}}")]),
        new("NumericLessThan on a tag value", Allow, Request(Alice) with { ResourceTags = Tags("tier", "-1.5") }, [Identity(AllowAll, "ecr:*", condition: "{'NumericLessThan':{'aws:ResourceTag/tier':'0'}}")]),
        new("NumericLessThanEquals on a tag value", Allow, Request(Alice) with { ResourceTags = Tags("tier", "3") }, [Identity(AllowAll, "ecr:*", condition: "{'NumericLessThanEquals':{'aws:ResourceTag/tier':'3'}}")]),
        new("NumericGreaterThan on a tag value", ImplicitDeny, Request(Alice) with { ResourceTags = Tags("tier", "3") }, [Identity(AllowAll, "ecr:*", condition: "{'NumericGreaterThan':{'aws:ResourceTag/tier':'3'}}")]),
        new("NumericGreaterThanEquals on a tag value", Allow, Request(Alice) with { ResourceTags = Tags("tier", "10") }, [Identity(AllowAll, "ecr:*", condition: "{'NumericGreaterThanEquals':{'aws:ResourceTag/tier':'9.5'}}")]),
        new("a numeric operator does not match a non-numeric tag", ImplicitDeny, Request(Alice) with { ResourceTags = Tags("tier", "gold") }, [Identity(AllowAll, "ecr:*", condition: "{'NumericGreaterThan':{'aws:ResourceTag/tier':'0'}}")]),

        // Absent keys and IfExists.
        new("a positive operator fails on an absent key", ImplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'StringEquals':{'aws:ResourceTag/team':'web'}}")]),
        new("a negated operator holds on an absent key", ExplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:*", condition: "{'StringNotEquals':{'aws:ResourceTag/team':'web'}}")]),
        new("IfExists holds on an absent key", Allow, Request(Alice), [Identity(AllowAll, "ecr:*", condition: "{'StringEqualsIfExists':{'aws:ResourceTag/team':'web'}}")]),
        new("IfExists still compares a present key", ImplicitDeny, Request(Alice) with { ResourceTags = Tags("team", "data") }, [Identity(AllowAll, "ecr:*", condition: "{'StringEqualsIfExists':{'aws:ResourceTag/team':'web'}}")]),
        new("IfExists makes a Deny apply when the key is absent", ExplicitDeny, Request(Alice), [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:*", condition: "{'StringEqualsIfExists':{'aws:ResourceTag/team':'web'}}")]),
        new("without IfExists the same Deny does not apply to an absent key", Allow, Request(Alice), [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:*", condition: "{'StringEquals':{'aws:ResourceTag/team':'web'}}")]),
        new("keys under one operator are AND-ed", ImplicitDeny, Request(Alice) with { ResourceTags = Tags("team", "web") },
            [Identity(AllowAll, "ecr:*", condition: "{'StringEquals':{'aws:ResourceTag/team':'web','aws:PrincipalType':'Account'}}")]),
        new("operators are AND-ed", Allow, Request(Alice) with { ResourceTags = Tags("team", "web"), SecureTransport = true },
            [Identity(AllowAll, "ecr:*", condition: "{'StringEquals':{'aws:ResourceTag/team':'web'},'Bool':{'aws:SecureTransport':'true'}}")]),

        // Resource tags and the tagging actions.
        new("aws:ResourceTag grants on a matching tag", Allow, Request(Alice) with { ResourceTags = Tags("team", "web") }, [Identity(AllowAll, "ecr:BatchGetImage", condition: "{'StringEquals':{'aws:ResourceTag/team':'web'}}")]),
        new("aws:ResourceTag does not grant on another value", ImplicitDeny, Request(Alice) with { ResourceTags = Tags("team", "data") }, [Identity(AllowAll, "ecr:BatchGetImage", condition: "{'StringEquals':{'aws:ResourceTag/team':'web'}}")]),
        new("ecr:ResourceTag reads the same tags", Allow, Request(Bob) with { ResourceTags = Tags("team", "web") }, [Identity(AllowAll, "ecr:*")],
            Resource(AllowAll, "{'AWS':'444455556666'}", PullActions, "{'StringEquals':{'ecr:ResourceTag/team':'web'}}")),
        new("the tag key in a condition key matches case-insensitively", Allow, Request(Alice) with { ResourceTags = Tags("team", "web") }, [Identity(AllowAll, "ecr:*", condition: "{'StringEquals':{'aws:ResourceTag/Team':'web'}}")]),
        new("TagResource allowed for the request tag value", Allow, Request(Alice, "ecr:TagResource") with { RequestTags = Tags("env", "dev"), TagKeys = ["env"] },
            [Identity(AllowAll, "ecr:TagResource", condition: "{'StringEquals':{'aws:RequestTag/env':'dev'}}")]),
        new("TagResource refused for another request tag value", ImplicitDeny, Request(Alice, "ecr:TagResource") with { RequestTags = Tags("env", "prod"), TagKeys = ["env"] },
            [Identity(AllowAll, "ecr:TagResource", condition: "{'StringEquals':{'aws:RequestTag/env':'dev'}}")]),
        new("CreateRepository with tags inside the allowed key set", Allow, Request(Alice, "ecr:CreateRepository") with { RequestTags = Tags("team", "web"), TagKeys = ["team"] },
            [Identity(AllowAll, "ecr:CreateRepository", condition: "{'StringEquals':{'aws:RequestTag/team':'web'},'ForAllValues:StringEquals':{'aws:TagKeys':['team','env']}}")]),
        new("CreateRepository with a tag key outside the allowed set", ImplicitDeny, Request(Alice, "ecr:CreateRepository") with { RequestTags = Tags("team", "web", "owner", "x"), TagKeys = ["team", "owner"] },
            [Identity(AllowAll, "ecr:CreateRepository", condition: "{'StringEquals':{'aws:RequestTag/team':'web'},'ForAllValues:StringEquals':{'aws:TagKeys':['team','env']}}")]),
        new("ForAllValues holds when the request names no tag keys", Allow, Request(Alice, "ecr:CreateRepository"),
            [Identity(AllowAll, "ecr:CreateRepository", condition: "{'ForAllValues:StringEquals':{'aws:TagKeys':['team']}}")]),
        new("ForAnyValue fails when the request names no tag keys", ImplicitDeny, Request(Alice, "ecr:UntagResource"),
            [Identity(AllowAll, "ecr:UntagResource", condition: "{'ForAnyValue:StringEquals':{'aws:TagKeys':['misc']}}")]),
        new("UntagResource of a protected key is denied", ExplicitDeny, Request(Alice, "ecr:UntagResource") with { TagKeys = ["misc", "protected"] },
            [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:UntagResource", condition: "{'ForAnyValue:StringEquals':{'aws:TagKeys':'protected'}}")]),
        new("UntagResource of other keys is allowed", Allow, Request(Alice, "ecr:UntagResource") with { TagKeys = ["misc"] },
            [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:UntagResource", condition: "{'ForAnyValue:StringEquals':{'aws:TagKeys':'protected'}}")]),
        new("ForAllValues StringLike over tag keys", Allow, Request(Alice, "ecr:TagResource") with { TagKeys = ["team-a", "team-b"] },
            [Identity(AllowAll, "ecr:TagResource", condition: "{'ForAllValues:StringLike':{'aws:TagKeys':'team-*'}}")]),
        new("ForAnyValue StringNotEquals finds a key outside the list", ExplicitDeny, Request(Alice, "ecr:TagResource") with { TagKeys = ["team", "cost"] },
            [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:TagResource", condition: "{'ForAnyValue:StringNotEquals':{'aws:TagKeys':['team']}}")]),
        new("ForAllValues StringNotEquals fails when one key is listed", Allow, Request(Alice, "ecr:TagResource") with { TagKeys = ["team", "cost"] },
            [Identity(AllowAll, "ecr:*"), Identity("Deny", "ecr:TagResource", condition: "{'ForAllValues:StringNotEquals':{'aws:TagKeys':['team']}}")]),

        // Grammar variants.
        new("a 2008-10-17 repository policy with one statement object and no Resource", Allow, Request(RootB), [],
            J("{'Version':'2008-10-17','Statement':{'Sid':'pull','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::444455556666:root'},'Action':['ecr:BatchGetImage']}}")),
    ];

    public static TheoryData<string> Cases()
    {
        var names = new TheoryData<string>();
        foreach (var row in Table)
        {
            names.Add(row.Name);
        }

        return names;
    }

    [Fact]
    public void The_table_has_at_least_sixty_distinct_cases()
    {
        Assert.True(Table.Length >= 60);
        Assert.Equal(Table.Length, Table.Select(row => row.Name).Distinct().Count());
    }

    [Fact]
    public void A_request_on_a_registry_resource_reads_its_ARN_and_owning_account()
    {
        var scope = new Berth.Domain.RegistryScope(B, "eu-west-1");

        var onRepository = PolicyRequest.For(RootA, "ecr:BatchGetImage", Berth.Domain.Auth.RegistryResource.Of(scope.Repository("team/api")), Now);
        var onRegistry = PolicyRequest.For(RootA, "ecr:DescribeRepositories", Berth.Domain.Auth.RegistryResource.Of(scope), Now);

        Assert.Equal("arn:aws:ecr:eu-west-1:444455556666:repository/team/api", onRepository.ResourceArn);
        Assert.Equal(B, onRepository.ResourceAccountId);
        Assert.Equal("arn:aws:ecr:eu-west-1:444455556666:registry", onRegistry.ResourceArn);
        Assert.Equal(PolicyDecision.ImplicitDeny, PolicyEvaluator.Evaluate(onRegistry, [], null, null));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluator_answers_as_IAM_does(string name)
    {
        var row = Table.Single(row => row.Name == name);
        var identity = row.Identity.Select(text => Parse(text, PolicyKind.Identity)).ToList();
        var repository = row.Repository is null ? null : Parse(row.Repository, PolicyKind.Repository);
        var registry = row.Registry is null ? null : Parse(row.Registry, PolicyKind.Registry);

        Assert.Equal(row.Expected, PolicyEvaluator.Evaluate(row.Request, identity, repository, registry));
    }
}
