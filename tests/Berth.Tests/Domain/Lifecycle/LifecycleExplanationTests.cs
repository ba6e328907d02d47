using Berth.Domain.Lifecycle;
using static Berth.Tests.Domain.Lifecycle.LifecycleFixtures;

namespace Berth.Tests.Domain.Lifecycle;

public sealed class LifecycleExplanationTests
{
    [Fact]
    public void Pages_walk_every_image_newest_first_with_its_decision_and_the_totals_cover_the_repository()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, """ "tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1 """)),
            Image("sha256:c", Days(3)),
            Image("sha256:a", ["v1"], Days(1)),
            Image("sha256:e", Days(5)),
            Image("sha256:b", Days(2)),
            // Pushed at the same instant as b: the smaller digest counts as newer.
            Image("sha256:0", Days(2)));

        var seen = new List<LifecycleExplanationItem>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = LifecycleExplanation.Page(evaluation, token, 2);
            Assert.True(page.IsSuccess);
            Assert.Equal((5, 3, 0), (page.Value.Images, page.Value.Expiring, page.Value.Transitioning));
            seen.AddRange(page.Value.Items);
            token = page.Value.NextToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["sha256:a", "sha256:0", "sha256:b", "sha256:c", "sha256:e"], seen.Select(i => i.Image.Digest));
        Assert.All(seen, i => Assert.Equal(i.Image.Digest, i.Decision.Digest));
        Assert.Equal(LifecycleOutcome.Keep, seen[0].Decision.Outcome);
        Assert.Equal("no rule selects this image", seen[0].Decision.Reason);
        Assert.Equal(LifecycleOutcome.Keep, seen[1].Decision.Outcome);
        Assert.Equal([LifecycleOutcome.Expire, LifecycleOutcome.Expire, LifecycleOutcome.Expire], seen.Skip(2).Select(i => i.Decision.Outcome));
    }

    [Fact]
    public void A_token_the_explanation_did_not_make_is_refused()
    {
        var evaluation = Evaluate(Policy(Rule(1, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 """)), Image("sha256:a", Days(1)));

        var page = LifecycleExplanation.Page(evaluation, "not-a-token", 10);

        Assert.False(page.IsSuccess);
        Assert.Equal(Berth.Domain.ErrorCode.InvalidParameter, page.Error!.Code);
    }
}
