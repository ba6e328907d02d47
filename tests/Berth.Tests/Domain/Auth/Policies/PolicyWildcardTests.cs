using Berth.Domain.Auth.Policies;

namespace Berth.Tests.Domain.Auth.Policies;

public sealed class PolicyWildcardTests
{
    [Theory]
    [InlineData("ecr:*", "ecr:PutImage", true)]
    [InlineData("ecr:Put?mage", "ecr:PutImage", true)]
    [InlineData("ecr:Put?mage", "ecr:PutImmage", false)]
    [InlineData("*Image", "ecr:PutImage", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    [InlineData("**", "", true)]
    public void Star_and_question_mark_match_as_IAM_defines(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, PolicyWildcard.Matches(pattern, text, ignoreCase: false));
    }

    [Theory]
    [InlineData("*", "arn:aws:ecr:us-east-1:111122223333:repository/app", true)]
    [InlineData("arn:aws:ecr:*:*:repository/*", "arn:aws:ecr:us-east-1:111122223333:repository/team/api", true)]
    [InlineData("arn:aws:ecr:us-*:111122223333:repository/app", "arn:aws:ecr:eu-west-1:111122223333:repository/app", false)]
    [InlineData("arn:aws:ecr:*", "arn:aws:ecr:us-east-1:111122223333:repository/app", true)]
    [InlineData("arn:aws:ecr:us-east-1:*", "arn:aws:ecr:us-east-1:111122223333:repository/app", true)]
    [InlineData("arn:aws:ecr:u*1:repository/app", "arn:aws:ecr:us-east-1:111122223333:repository/app", false)]
    [InlineData("arn:aws:ecr:us-east-?:111122223333:repository/app", "arn:aws:ecr:us-east-1:111122223333:repository/app", true)]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repository/app", "arn:aws:ecr:us-east-1:111122223333:repository/app2", false)]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:*", "arn:aws:ecr:us-east-1:111122223333:registry", true)]
    public void ARN_wildcards_stay_in_a_segment_unless_a_star_ends_it(string pattern, string arn, bool expected)
    {
        Assert.Equal(expected, PolicyWildcard.MatchesArn(pattern, arn));
    }
}
