namespace Berth.Tests.Domain.Auth;

/// <summary>Each protocol asks the authorizer in exactly one place, so no handler can grow a check of its own.</summary>
public sealed class AuthorizationPointTests
{
    [Theory]
    [InlineData("Ecr", "EcrPipeline.cs")]
    [InlineData("Oci", "OciPipeline.cs")]
    public void One_Authorize_call_site_per_protocol(string protocol, string expectedFile)
    {
        var root = Path.Join(SourceRoot(), "src", "Berth", protocol);
        var sites = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                // The grep the docs give: grep -rn "AuthorizeAsync(" src/Berth/Ecr src/Berth/Oci
                if (lines[i].Contains("AuthorizeAsync(", StringComparison.Ordinal))
                {
                    sites.Add($"{Path.GetRelativePath(root, file)}:{i + 1}");
                }
            }
        }

        var site = Assert.Single(sites);
        Assert.StartsWith(expectedFile + ":", site, StringComparison.Ordinal);
    }

    private static string SourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "Berth.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The test runs outside the Berth source tree.");
    }
}
