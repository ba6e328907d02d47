using System.Text.RegularExpressions;
using Berth.Hosting;

namespace Berth.Tests.Hosting;

public sealed partial class RequestIdsTests
{
    [Fact]
    public void Ids_are_distinct_version_4_uuids()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => RequestIds.Next()).ToList();

        Assert.All(ids, id => Assert.Matches(Version4(), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex Version4();
}
