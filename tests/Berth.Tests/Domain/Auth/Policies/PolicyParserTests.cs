using Berth.Domain.Auth.Policies;
using static Berth.Tests.Domain.Auth.Policies.PolicyFixtures;

namespace Berth.Tests.Domain.Auth.Policies;

public sealed class PolicyParserTests
{
    private const string Pull = "'Effect':'Allow','Principal':'*','Action':'ecr:BatchGetImage'";

    [Theory]
    [InlineData("", "the policy is not valid JSON")]
    [InlineData("{'Version':'2012-10-17',", "the policy is not valid JSON")]
    [InlineData("['Statement']", "the policy must be a JSON object")]
    [InlineData("{'Version':'2012-10-17','Statement':[{" + Pull + "}],'Extra':1}", "unknown element 'Extra'")]
    [InlineData("{'Version':'2012-10-17','Version':'2012-10-17','Statement':[{" + Pull + "}]}", "element 'Version' appears more than once")]
    [InlineData("{'Version':'2020-01-01','Statement':[{" + Pull + "}]}", "Version must be '2012-10-17' or '2008-10-17'")]
    [InlineData("{'Version':'2012-10-17','Id':5,'Statement':[{" + Pull + "}]}", "Id must be a string")]
    [InlineData("{'Version':'2012-10-17'}", "Statement is required")]
    [InlineData("{'Version':'2012-10-17','Statement':[]}", "Statement must be an object or a non-empty array of objects")]
    [InlineData("{'Version':'2012-10-17','Statement':'allow'}", "Statement must be an object or a non-empty array of objects")]
    [InlineData("{'Version':'2012-10-17','Statement':[{" + Pull + "}, 3]}", "Statement must be an object or a non-empty array of objects")]
    [InlineData("{'Statement':{" + Pull + ",'Principals':'*'}}", "Statement[0]: unknown element 'Principals'")]
    [InlineData("{'Statement':[{" + Pull + "},{" + Pull + ",'Effect':'Deny'}]}", "Statement[1]: element 'Effect' appears more than once")]
    [InlineData("{'Statement':{'Sid':7," + Pull + "}}", "Statement[0]: Sid must be a string")]
    [InlineData("{'Statement':{'Principal':'*','Action':'ecr:*'}}", "Statement[0]: Effect is required")]
    [InlineData("{'Statement':{'Effect':'allow','Principal':'*','Action':'ecr:*'}}", "Statement[0]: Effect must be 'Allow' or 'Deny'")]
    [InlineData("{'Statement':{'Effect':'Allow','Action':'ecr:*'}}", "Statement[0]: Principal or NotPrincipal is required in a resource policy")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':'*','NotPrincipal':{'AWS':'111122223333'},'Action':'ecr:*'}}", "Statement[0]: cannot have both Principal and NotPrincipal")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':'*'}}", "Statement[0]: Action or NotAction is required")]
    [InlineData("{'Statement':{" + Pull + ",'NotAction':'ecr:PutImage'}}", "Statement[0]: cannot have both Action and NotAction")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':'*','Action':[]}}", "Statement[0]: Action must be a string or a non-empty array of strings")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':'*','NotAction':[1]}}", "Statement[0]: NotAction must be a string or a non-empty array of strings")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':'*','Action':'BatchGetImage'}}", "Statement[0]: Action 'BatchGetImage' is not '*' or '<service>:<action>'")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':'*','Action':'ecr:Batch Get'}}", "Statement[0]: Action 'ecr:Batch Get' is not '*' or '<service>:<action>'")]
    [InlineData("{'Statement':{" + Pull + ",'Resource':'repository/app'}}", "Statement[0]: Resource 'repository/app' is not '*' or an ARN")]
    [InlineData("{'Statement':{" + Pull + ",'Resource':'*','NotResource':'*'}}", "Statement[0]: cannot have both Resource and NotResource")]
    [InlineData("{'Version':'2012-10-17','Statement':{" + Pull + ",'Resource':'arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}'}}", "Statement[0]: policy variables are not supported ('arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}')")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':'alice','Action':'ecr:*'}}", "Statement[0]: Principal must be '*' or an object such as {\"AWS\": ...}")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':{},'Action':'ecr:*'}}", "Statement[0]: Principal must be '*' or an object such as {\"AWS\": ...}")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':{'Federated':'cognito-identity.amazonaws.com'},'Action':'ecr:*'}}", "Statement[0]: Principal type 'Federated' is not supported (use AWS or Service)")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':{'AWS':'12345'},'Action':'ecr:*'}}", "Statement[0]: Principal '12345' is not '*', an account id, or an IAM root, user or role ARN")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:user/*'},'Action':'ecr:*'}}", "Statement[0]: Principal 'arn:aws:iam::111122223333:user/*' is not '*', an account id, or an IAM root, user or role ARN")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:group/admins'},'Action':'ecr:*'}}", "Statement[0]: Principal 'arn:aws:iam::111122223333:group/admins' is not '*', an account id, or an IAM root, user or role ARN")]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':{'AWS':[]},'Action':'ecr:*'}}", "Statement[0]: Principal.AWS must be a string or a non-empty array of strings")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':[]}}", "Statement[0]: Condition must be an object of operators, each an object of keys")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEquals':'x'}}}", "Statement[0]: Condition must be an object of operators, each an object of keys")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEqualz':{'aws:PrincipalAccount':'111122223333'}}}}", "Statement[0]: condition operator 'StringEqualz' is not supported")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'BinaryEquals':{'aws:PrincipalAccount':'eA=='}}}}", "Statement[0]: condition operator 'BinaryEquals' is not supported")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'stringequals':{'aws:PrincipalAccount':'111122223333'}}}}", "Statement[0]: condition operator 'stringequals' is not supported")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'NullIfExists':{'aws:SourceIp':'true'}}}}", "Statement[0]: condition operator 'NullIfExists' is not supported")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'ForAllValues:Null':{'aws:TagKeys':'true'}}}}", "Statement[0]: condition operator 'ForAllValues:Null' is not supported")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'1':{'aws:SourceIp':'true'}}}}", "Statement[0]: condition operator '1' is not supported")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEquals':{'aws:username':'alice'}}}}", "Statement[0]: condition key 'aws:username' is not supported")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEquals':{'aws:PrincipalTag/team':'web'}}}}", "Statement[0]: condition key 'aws:PrincipalTag/team' is not supported")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEquals':{'ecr:ResourceTag/':'web'}}}}", "Statement[0]: condition key 'ecr:ResourceTag/' is not supported")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEquals':{'aws:ResourceTag/a':'x','aws:resourcetag/a':'y'}}}}", "Statement[0]: element 'aws:resourcetag/a' appears more than once")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'IpAddress':{'aws:PrincipalAccount':'10.0.0.0/8'}}}}", "Statement[0]: condition key 'aws:PrincipalAccount' cannot be used with IpAddress")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEquals':{'aws:SourceIp':'10.0.0.1'}}}}", "Statement[0]: condition key 'aws:SourceIp' cannot be used with StringEquals")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'NumericLessThan':{'aws:CurrentTime':'5'}}}}", "Statement[0]: condition key 'aws:CurrentTime' cannot be used with NumericLessThan")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'ArnLike':{'aws:ResourceTag/team':'arn:aws:iam::1:root'}}}}", "Statement[0]: condition key 'aws:ResourceTag/team' cannot be used with ArnLike")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEquals':{'aws:TagKeys':'team'}}}}", "Statement[0]: condition key 'aws:TagKeys' holds several values: write ForAllValues:StringEquals or ForAnyValue:StringEquals")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEquals':{'aws:PrincipalAccount':[]}}}}", "Statement[0]: values of 'aws:PrincipalAccount' under StringEquals must be a string, number or boolean, or a non-empty array of them")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'StringEquals':{'aws:PrincipalAccount':{'a':1}}}}}", "Statement[0]: values of 'aws:PrincipalAccount' under StringEquals must be a string, number or boolean, or a non-empty array of them")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/33'}}}}", "Statement[0]: '10.0.0.0/33' is not a valid value for IpAddress")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'NotIpAddressIfExists':{'aws:SourceIp':'intranet'}}}}", "Statement[0]: 'intranet' is not a valid value for NotIpAddressIfExists")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'DateLessThan':{'aws:CurrentTime':'next week'}}}}", "Statement[0]: 'next week' is not a valid value for DateLessThan")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'NumericEquals':{'aws:ResourceTag/tier':'two'}}}}", "Statement[0]: 'two' is not a valid value for NumericEquals")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'Bool':{'aws:SecureTransport':'yes'}}}}", "Statement[0]: 'yes' is not a valid value for Bool")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'Null':{'aws:SourceIp':'maybe'}}}}", "Statement[0]: 'maybe' is not a valid value for Null")]
    [InlineData("{'Statement':{" + Pull + ",'Condition':{'ArnEquals':{'aws:PrincipalArn':'alice'}}}}", "Statement[0]: 'alice' is not a valid value for ArnEquals")]
    [InlineData("{'Version':'2012-10-17','Statement':{" + Pull + ",'Condition':{'StringLike':{'aws:PrincipalArn':'arn:aws:iam::1:user/${aws:username}'}}}}", "Statement[0]: policy variables are not supported ('arn:aws:iam::1:user/${aws:username}')")]
    public void Repository_policies_are_refused_with_the_reason(string policy, string detail)
    {
        var result = PolicyParser.Parse(J(policy), PolicyKind.Repository);

        Assert.False(result.IsSuccess);
        Assert.Equal(detail, result.Error);
    }

    [Theory]
    [InlineData("{'Statement':{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'}}", "Statement[0]: an identity policy cannot name a Principal or NotPrincipal")]
    [InlineData("{'Statement':{'Effect':'Allow','Action':'ecr:*'}}", "Statement[0]: Resource or NotResource is required in an identity policy")]
    public void Identity_policies_name_resources_and_no_principal(string policy, string detail)
    {
        var result = PolicyParser.Parse(J(policy), PolicyKind.Identity);

        Assert.False(result.IsSuccess);
        Assert.Equal(detail, result.Error);
        Assert.Equal("Invalid identity policy: " + detail, result.ErrorMessage);
    }

    [Fact]
    public void Refusals_keep_ECRs_InvalidParameterException_message_and_add_the_reason()
    {
        var repository = PolicyParser.Parse("{}", PolicyKind.Repository);
        var registry = PolicyParser.Parse("{}", PolicyKind.Registry);

        Assert.Equal("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided: Statement is required'", repository.ErrorMessage);
        Assert.Equal("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided: Statement is required'", registry.ErrorMessage);
    }

    [Fact]
    public void Text_longer_than_the_models_limit_is_refused()
    {
        var padded = J("{'Statement':{" + Pull + "}}") + new string(' ', PolicyParser.MaxTextLength);

        Assert.Equal("the policy is longer than 10240 characters", PolicyParser.Parse(padded, PolicyKind.Repository).Error);
        Assert.True(PolicyParser.Parse(J("{'Statement':{" + Pull + "}}").PadRight(PolicyParser.MaxTextLength), PolicyKind.Repository).IsSuccess);
    }

    [Fact]
    public void An_unpaired_surrogate_escape_is_refused_not_thrown()
    {
        var result = PolicyParser.Parse(J("{'Statement':{'Sid':'\\ud800'," + Pull + "}}"), PolicyKind.Repository);

        Assert.Equal("the policy is not valid JSON", result.Error);
    }

    [Fact]
    public void Policy_variables_are_literal_text_in_2008_10_17_policies()
    {
        var result = PolicyParser.Parse(
            J("{'Version':'2008-10-17','Statement':{" + Pull + ",'Condition':{'StringEquals':{'aws:ResourceTag/x':'${literal}'}}}}"), PolicyKind.Repository);

        Assert.True(result.IsSuccess, result.Error);
    }

    [Fact]
    public void A_typical_cross_account_repository_policy_parses_into_its_parts()
    {
        var policy = Parse(J("""
            {'Version':'2012-10-17','Id':'pull',
             'Statement':[{'Sid':'AllowPull','Effect':'Allow',
               'Principal':{'AWS':['444455556666','arn:aws:iam::999999999999:root','arn:aws:iam::444455556666:user/bob'],'Service':'codebuild.amazonaws.com'},
               'Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer'],
               'Condition':{'ForAnyValue:StringLike':{'aws:TagKeys':'team*'},'IpAddressIfExists':{'aws:SourceIp':['10.0.0.0/8','2001:db8::/32']},'DateLessThan':{'aws:CurrentTime':1900000000}}}]}
            """), PolicyKind.Repository);

        var statement = Assert.Single(policy.Statements);
        Assert.Equal("AllowPull", statement.Sid);
        Assert.Equal(PolicyEffect.Allow, statement.Effect);
        Assert.Equal(["444455556666", "999999999999"], statement.Principals!.Accounts);
        Assert.Equal(["arn:aws:iam::444455556666:user/bob"], statement.Principals.Arns);
        Assert.Equal(["codebuild.amazonaws.com"], statement.Principals.Services);
        Assert.Null(statement.Resources);
        Assert.Equal(3, statement.Conditions.Count);
        Assert.Equal(SetQualifier.ForAnyValue, statement.Conditions[0].Qualifier);
        Assert.Equal(ConditionOperator.IpAddress, statement.Conditions[1].Operator);
        Assert.True(statement.Conditions[1].IfExists);
        Assert.Equal(2, statement.Conditions[1].Values.Count);
        Assert.False(policy.ReadsResourceTags);
    }

    [Fact]
    public void A_policy_reading_resource_tags_says_so()
    {
        var policy = Parse(J("{'Statement':{" + Pull + ",'Condition':{'StringEquals':{'ecr:ResourceTag/team':'web'}}}}"), PolicyKind.Repository);

        Assert.True(policy.ReadsResourceTags);
    }

    [Fact]
    public void Registry_scope_V1_allows_only_replication_import_and_creation()
    {
        var replication = Parse(Resource("Allow", "{'AWS':'444455556666'}", "['ecr:ReplicateImage','ecr:CreateRepository','ecr:batchimportupstreamimage']"), PolicyKind.Registry);
        var pull = Parse(Resource("Allow", "{'AWS':'444455556666'}", "['ecr:ReplicateImage','ecr:BatchGetImage']"), PolicyKind.Registry);
        var wildcard = Parse(Resource("Allow", "{'AWS':'444455556666'}", "ecr:*"), PolicyKind.Registry);

        Assert.Null(RegistryPolicyScope.RefuseUnderV1(replication));
        Assert.Equal(
            "with registry policy scope V1 only ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository may be granted, not 'ecr:BatchGetImage'",
            RegistryPolicyScope.RefuseUnderV1(pull));
        Assert.NotNull(RegistryPolicyScope.RefuseUnderV1(wildcard));
    }
}
