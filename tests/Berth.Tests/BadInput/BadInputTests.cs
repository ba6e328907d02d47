namespace Berth.Tests.BadInput;

/// <summary>
/// At least 200 malformed requests across both protocols against one real server on a loopback port. Each case must
/// get its expected 4xx (never a 5xx), leave the data dir as it was unless it legitimately succeeded, and leave the
/// server serving. Cases are passed by name so each is reported on its own.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class BadInputTests(BadInputServer server)
{
    private static readonly Dictionary<string, BadInputCase> EcrCasesByName = Index(EcrCases.All().Concat(AuthCases.Ecr()));
    private static readonly Dictionary<string, BadInputCase> OciCasesByName = Index(OciCases.All().Concat(AuthCases.Oci()));

    public static TheoryData<string> EcrNames => Names(EcrCasesByName);

    public static TheoryData<string> OciNames => Names(OciCasesByName);

    [Theory]
    [MemberData(nameof(EcrNames))]
    public Task Malformed_ECR_request_gets_its_error_and_changes_nothing(string name) => EcrCasesByName[name].RunAsync(server, ecr: true);

    [Theory]
    [MemberData(nameof(OciNames))]
    public Task Malformed_v2_request_gets_its_error_and_changes_nothing(string name) => OciCasesByName[name].RunAsync(server, ecr: false);

    [Fact]
    public void The_suite_has_at_least_200_cases_with_distinct_names()
    {
        Assert.True(EcrCasesByName.Count + OciCasesByName.Count >= 200, $"{EcrCasesByName.Count} + {OciCasesByName.Count} cases");
    }

    private static Dictionary<string, BadInputCase> Index(IEnumerable<BadInputCase> cases)
    {
        var byName = new Dictionary<string, BadInputCase>(StringComparer.Ordinal);
        foreach (var badInput in cases)
        {
            // A repeated name would hide a case: fail loudly at discovery.
            byName.Add(badInput.Name, badInput);
        }

        return byName;
    }

    private static TheoryData<string> Names(Dictionary<string, BadInputCase> cases)
    {
        var data = new TheoryData<string>();
        foreach (var name in cases.Keys)
        {
            data.Add(name);
        }

        return data;
    }
}
