using Berth.Domain;

namespace Berth.Tests.Domain;

public sealed class TagMutabilityMatcherTests
{
    private static readonly string[] NoFilters = [];

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.0")]
    public void Mutable_never_protects_a_tag(string tag)
    {
        Assert.False(TagMutabilityMatcher.IsImmutable(TagMutability.Mutable, NoFilters, tag));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.0")]
    public void Immutable_always_protects_a_tag(string tag)
    {
        Assert.True(TagMutabilityMatcher.IsImmutable(TagMutability.Immutable, NoFilters, tag));
    }

    [Theory]
    [InlineData("latest", false)]
    [InlineData("release-1.2", false)]
    [InlineData("release-", false)]
    [InlineData("v2.0-rc1", false)]
    [InlineData("latest-stable", true)]
    [InlineData("v1.0", true)]
    [InlineData("Latest", true)]
    [InlineData("prerelease-1", true)]
    public void Immutable_with_exclusion_leaves_matching_tags_mutable(string tag, bool immutable)
    {
        string[] filters = ["latest", "release-*", "*-rc*"];

        Assert.Equal(immutable, TagMutabilityMatcher.IsImmutable(TagMutability.ImmutableWithExclusion, filters, tag));
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData("release-2024.06.01", true)]
    [InlineData("1.0-rc", true)]
    [InlineData("dev", false)]
    [InlineData("release", false)]
    [InlineData("RELEASE-1", false)]
    public void Mutable_with_exclusion_protects_matching_tags(string tag, bool immutable)
    {
        string[] filters = ["latest", "release-*", "*-rc*"];

        Assert.Equal(immutable, TagMutabilityMatcher.IsImmutable(TagMutability.MutableWithExclusion, filters, tag));
    }

    [Fact]
    public void Star_filter_flips_every_tag()
    {
        string[] filters = ["*"];

        Assert.False(TagMutabilityMatcher.IsImmutable(TagMutability.ImmutableWithExclusion, filters, "anything"));
        Assert.True(TagMutabilityMatcher.IsImmutable(TagMutability.MutableWithExclusion, filters, "anything"));
    }

    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "a", true)]
    [InlineData("latest", "latest", true)]
    [InlineData("latest", "latest2", false)]
    [InlineData("latest", "xlatest", false)]
    [InlineData("v1.0", "v1.0", true)]
    [InlineData("v1.0", "v1x0", false)]
    [InlineData("v1.*", "v1x0", false)]
    [InlineData("v1.*", "v1.", true)]
    [InlineData("release-*", "release-", true)]
    [InlineData("release-*", "release", false)]
    [InlineData("*-rc*", "-rc", true)]
    [InlineData("*-rc*", "1.0-rc2-hotfix", true)]
    [InlineData("*-rc*", "1.0-r-c", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYc-", false)]
    [InlineData("a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("**", "x", true)]
    [InlineData("x**y", "xy", true)]
    [InlineData("abc", "ab", false)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    public void Glob_matches_whole_tags_with_star_as_the_only_wildcard(string filter, string tag, bool matches)
    {
        Assert.Equal(matches, TagMutabilityMatcher.Matches(filter, tag));
    }

    [Fact]
    public void Glob_worst_case_finishes_quickly_on_the_longest_tags()
    {
        // 128-character filters and 300-character tags are the model's limits; a regex-style
        // exponential backtracker would not finish this.
        var filter = string.Concat(Enumerable.Repeat("a*", 64));
        var tag = new string('a', 299) + "b";

        Assert.False(TagMutabilityMatcher.Matches(filter + "c", tag));
    }

    [Fact]
    public void Unknown_mode_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TagMutabilityMatcher.IsImmutable((TagMutability)42, NoFilters, "x"));
    }
}
