using System.Text.Json;
using Berth.Domain.Scanning;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Ecr;

/// <summary>
/// Image scanning over the wire, against images built in code and the repository's OSV fixtures: findings exactly,
/// statuses, the quota, scan on push by repository setting and by registry rule, continuous rescans on import.
/// </summary>
public sealed class ScanningOperationsTests : IAsyncLifetime
{
    private BerthHost _host = null!;
    private EcrClient _ecr = null!;

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync();
        _ecr = _host.Ecr();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<VulnerabilityDatabaseImporter.Summary> ImportAsync() =>
        _host.Services.GetRequiredService<VulnerabilityDatabaseImporter>().ImportAsync(ScanImages.OsvFixtures, CancellationToken.None);

    private Task<JsonElement> CreateAsync(string name, bool scanOnPush = false) =>
        _ecr.OkAsync("CreateRepository", $$"""{"repositoryName":"{{name}}","imageScanningConfiguration":{"scanOnPush":{{(scanOnPush ? "true" : "false")}}""" + "}}");

    private static string ImageRequest(string repository, string tag, string extra = "") =>
        $$"""{"repositoryName":"{{repository}}","imageId":{"imageTag":"{{tag}}"}{{extra}}}""";

    /// <summary>Polls DescribeImageScanFindings until the scan has left the queue.</summary>
    private async Task<JsonElement> WaitForScanAsync(string repository, string tag, string extra = "")
    {
        for (var i = 0; i < 300; i++)
        {
            var answer = await _ecr.OkAsync("DescribeImageScanFindings", ImageRequest(repository, tag, extra));
            var status = answer.GetProperty("imageScanStatus").GetProperty("status").GetString();
            if (status is not ("IN_PROGRESS" or "PENDING"))
            {
                return answer;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The scan of {repository}:{tag} did not finish.");
    }

    private static List<string> Findings(JsonElement answer) =>
        [.. answer.GetProperty("imageScanFindings").GetProperty("findings").EnumerateArray().Select(f =>
            $"{f.GetProperty("severity").GetString()} {f.GetProperty("name").GetString()} {Attribute(f, "package_name")} {Attribute(f, "package_version")} fix={Attribute(f, "fixed_in_version")}")];

    private static string? Attribute(JsonElement finding, string key) =>
        finding.GetProperty("attributes").EnumerateArray().Where(a => a.GetProperty("key").GetString() == key).Select(a => a.GetProperty("value").GetString()).FirstOrDefault();

    [Fact]
    public async Task A_scan_on_push_of_the_Debian_image_finds_exactly_the_vulnerable_packages_across_gzip_and_zstd_layers()
    {
        await ImportAsync();
        await CreateAsync("debian-app", scanOnPush: true);
        await ScanImages.PushAsync(_host.Client, "debian-app", "v1", ScanImages.DebianLayers());

        var answer = await WaitForScanAsync("debian-app", "v1");

        Assert.Equal("COMPLETE", answer.GetProperty("imageScanStatus").GetProperty("status").GetString());
        Assert.Equal(
            [
                "CRITICAL CVE-2024-90001 openssl 3.0.11-1~deb12u1 fix=3.0.11-1~deb12u2",
                "HIGH CVE-2021-90005 left-pad 1.1.0 fix=",
                "HIGH CVE-2021-90005 lodash 4.17.20 fix=4.17.21",
                "MEDIUM CVE-2024-90004 requests 2.31.0 fix=2.32.0",
                "LOW CVE-2023-90002 zlib 1:1.2.13.dfsg-1 fix=1:1.2.13.dfsg-2",
            ],
            Findings(answer));
        var findings = answer.GetProperty("imageScanFindings");
        Assert.Equal(
            """{"CRITICAL":1,"HIGH":2,"MEDIUM":1,"LOW":1}""",
            findings.GetProperty("findingSeverityCounts").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal));
        var critical = findings.GetProperty("findings")[0];
        Assert.Equal("https://security-tracker.debian.org/tracker/CVE-2024-90001", critical.GetProperty("uri").GetString());
        Assert.Equal("A crafted certificate makes the fixture's openssl read past a buffer.", critical.GetProperty("description").GetString());
        Assert.Equal("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Attribute(critical, "CVSS3_VECTOR"));
        Assert.Equal("9.8", Attribute(critical, "CVSS3_SCORE"));
        Assert.Equal(DateTimeOffset.Parse("2024-06-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), findings.GetProperty("vulnerabilitySourceUpdatedAt").GetInt64());

        // DescribeImages carries the same status and counts.
        var detail = (await _ecr.OkAsync("DescribeImages", """{"repositoryName":"debian-app"}""")).GetProperty("imageDetails")[0];
        Assert.Equal("COMPLETE", detail.GetProperty("imageScanStatus").GetProperty("status").GetString());
        Assert.Equal(2, detail.GetProperty("imageScanFindingsSummary").GetProperty("findingSeverityCounts").GetProperty("HIGH").GetInt32());

        // The one scan per image per 24 hours was the scan on push.
        var refused = await _ecr.FailsAsync("StartImageScan", ImageRequest("debian-app", "v1"), "LimitExceededException");
        Assert.Equal("The scan quota per image has been exceeded. Wait and try again.", refused);
    }

    [Fact]
    public async Task Findings_page_with_maxResults_and_every_page_joins_to_the_whole()
    {
        await ImportAsync();
        await CreateAsync("paged", scanOnPush: true);
        await ScanImages.PushAsync(_host.Client, "paged", "v1", ScanImages.DebianLayers());
        var whole = Findings(await WaitForScanAsync("paged", "v1"));

        var pages = new List<string>();
        string? token = null;
        var count = 0;
        do
        {
            var answer = await _ecr.OkAsync("DescribeImageScanFindings", ImageRequest("paged", "v1", token is null ? ",\"maxResults\":2" : $",\"maxResults\":2,\"nextToken\":\"{token}\""));
            var page = Findings(answer);
            Assert.InRange(page.Count, 1, 2);
            pages.AddRange(page);
            token = answer.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
            count++;
        }
        while (token is not null);

        Assert.Equal(3, count);
        Assert.Equal(whole, pages);
        await _ecr.FailsAsync("DescribeImageScanFindings", ImageRequest("paged", "v1", ",\"nextToken\":\"bm90LWEtdG9rZW4\""), "InvalidParameterException");
    }

    [Fact]
    public async Task Never_scanned_is_ScanNotFound_and_a_scan_without_a_database_ends_FINDINGS_UNAVAILABLE()
    {
        await CreateAsync("manual");
        var digest = await ScanImages.PushAsync(_host.Client, "manual", "v1", ScanImages.DebianLayers());

        var message = await _ecr.FailsAsync("DescribeImageScanFindings", ImageRequest("manual", "v1"), "ScanNotFoundException");
        Assert.Contains(digest, message, StringComparison.Ordinal);
        await _ecr.FailsAsync("StartImageScan", ImageRequest("manual", "missing"), "ImageNotFoundException");
        await _ecr.FailsAsync("StartImageScan", ImageRequest("nothing-here", "v1"), "RepositoryNotFoundException");

        var started = await _ecr.OkAsync("StartImageScan", ImageRequest("manual", "v1"));
        Assert.Equal("IN_PROGRESS", started.GetProperty("imageScanStatus").GetProperty("status").GetString());
        Assert.Equal(digest, started.GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal("v1", started.GetProperty("imageId").GetProperty("imageTag").GetString());

        var answer = await WaitForScanAsync("manual", "v1");
        var status = answer.GetProperty("imageScanStatus");
        Assert.Equal("FINDINGS_UNAVAILABLE", status.GetProperty("status").GetString());
        Assert.Equal(ImageScanner.NoDatabase, status.GetProperty("description").GetString());
        Assert.False(answer.TryGetProperty("imageScanFindings", out _));
    }

    [Fact]
    public async Task An_image_without_a_known_os_is_UNSUPPORTED_IMAGE_and_an_index_is_refused_as_UnsupportedImageType()
    {
        await ImportAsync();
        await CreateAsync("odd");
        var image = await ScanImages.PushAsync(_host.Client, "odd", "scratch", ScanImages.ScratchLayers());
        await _ecr.OkAsync("StartImageScan", ImageRequest("odd", "scratch"));
        var answer = await WaitForScanAsync("odd", "scratch");
        Assert.Equal("UNSUPPORTED_IMAGE", answer.GetProperty("imageScanStatus").GetProperty("status").GetString());
        Assert.Equal("The image has no /etc/os-release, so its operating system is not recognised.", answer.GetProperty("imageScanStatus").GetProperty("description").GetString());

        var manifest = (await new RegistryPusher(_host.Client).GetManifestAsync("odd", "scratch")).Body;
        var index = RegistryPusher.Index([new TestDescriptor(RegistryPusher.OciManifest, image, manifest.Length)]);
        await new RegistryPusher(_host.Client).PushManifestAsync("odd", "multi", index, RegistryPusher.OciIndex);
        await _ecr.FailsAsync("StartImageScan", ImageRequest("odd", "multi"), "UnsupportedImageTypeException");
    }

    [Fact]
    public async Task A_registry_rule_scans_the_Alpine_image_on_push_and_BatchGet_reports_which_rule_applies()
    {
        await ImportAsync();
        var put = await _ecr.OkAsync("PutRegistryScanningConfiguration", """
            {"scanType":"BASIC","rules":[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"alpine-*","filterType":"WILDCARD"}]}]}
            """);
        Assert.Equal("BASIC", put.GetProperty("registryScanningConfiguration").GetProperty("scanType").GetString());
        var got = await _ecr.OkAsync("GetRegistryScanningConfiguration");
        Assert.Equal("123456789012", got.GetProperty("registryId").GetString());
        Assert.Equal("alpine-*", got.GetProperty("scanningConfiguration").GetProperty("rules")[0].GetProperty("repositoryFilters")[0].GetProperty("filter").GetString());

        await CreateAsync("alpine-base");
        await CreateAsync("legacy", scanOnPush: true);
        await CreateAsync("plain");
        await ScanImages.PushAsync(_host.Client, "alpine-base", "3.19", ScanImages.AlpineLayers());
        var answer = await WaitForScanAsync("alpine-base", "3.19");
        Assert.Equal(["UNDEFINED CVE-2023-90006 openssl 3.1.4-r1 fix=3.1.4-r3"], Findings(answer));

        var batch = await _ecr.OkAsync("BatchGetRepositoryScanningConfiguration", """{"repositoryNames":["alpine-base","legacy","plain","missing"]}""");
        var configurations = batch.GetProperty("scanningConfigurations").EnumerateArray().ToDictionary(c => c.GetProperty("repositoryName").GetString()!);
        Assert.Equal("SCAN_ON_PUSH", configurations["alpine-base"].GetProperty("scanFrequency").GetString());
        Assert.True(configurations["alpine-base"].GetProperty("scanOnPush").GetBoolean());
        Assert.Equal("alpine-*", configurations["alpine-base"].GetProperty("appliedScanFilters")[0].GetProperty("filter").GetString());
        Assert.Equal("arn:aws:ecr:us-east-1:123456789012:repository/alpine-base", configurations["alpine-base"].GetProperty("repositoryArn").GetString());
        Assert.Equal("SCAN_ON_PUSH", configurations["legacy"].GetProperty("scanFrequency").GetString());
        Assert.Equal(0, configurations["legacy"].GetProperty("appliedScanFilters").GetArrayLength());
        Assert.Equal("MANUAL", configurations["plain"].GetProperty("scanFrequency").GetString());
        Assert.False(configurations["plain"].GetProperty("scanOnPush").GetBoolean());
        var failure = batch.GetProperty("failures")[0];
        Assert.Equal(("missing", "REPOSITORY_NOT_FOUND"), (failure.GetProperty("repositoryName").GetString(), failure.GetProperty("failureCode").GetString()));
    }

    [Fact]
    public async Task The_registry_configuration_refuses_what_ECR_refuses()
    {
        var defaults = await _ecr.OkAsync("GetRegistryScanningConfiguration");
        Assert.Equal("""{"scanType":"BASIC","rules":[]}""", defaults.GetProperty("scanningConfiguration").GetRawText());

        await _ecr.FailsAsync("PutRegistryScanningConfiguration", """{"scanType":"BASIC","rules":[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]}""", "InvalidParameterException");
        await _ecr.FailsAsync("PutRegistryScanningConfiguration", """{"scanType":"ENHANCED","rules":[{"scanFrequency":"MANUAL","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]}""", "InvalidParameterException");
        await _ecr.FailsAsync("PutRegistryScanningConfiguration", """{"scanType":"ENHANCED","rules":[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[]}]}""", "InvalidParameterException");
        await _ecr.FailsAsync("PutRegistryScanningConfiguration", """{"scanType":"FULL","rules":[]}""", "InvalidParameterException");
        var rule = """{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}""";
        await _ecr.FailsAsync("PutRegistryScanningConfiguration", $$"""{"scanType":"ENHANCED","rules":[{{rule}},{{rule}},{{rule}}]}""", "InvalidParameterException");
        await _ecr.FailsAsync("PutRegistryScanningConfiguration", """{"scanType":"BASIC","rules":[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"Bad Name","filterType":"WILDCARD"}]}]}""", "InvalidParameterException");
        await _ecr.FailsAsync("BatchGetRepositoryScanningConfiguration", """{"repositoryNames":[]}""", "InvalidParameterException");

        Assert.Equal("""{"scanType":"BASIC","rules":[]}""", (await _ecr.OkAsync("GetRegistryScanningConfiguration")).GetProperty("scanningConfiguration").GetRawText());
    }

    [Fact]
    public async Task Enhanced_continuous_scanning_keeps_the_image_ACTIVE_with_enhanced_findings_and_rescans_after_an_import()
    {
        await ImportAsync();
        await _ecr.OkAsync("PutRegistryScanningConfiguration", """
            {"scanType":"ENHANCED","rules":[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"prod-*","filterType":"WILDCARD"}]}]}
            """);
        await CreateAsync("prod-web");
        var digest = await ScanImages.PushAsync(_host.Client, "prod-web", "v1", ScanImages.AlpineLayers());
        var first = await WaitForScanAsync("prod-web", "v1");
        Assert.Equal("ACTIVE", first.GetProperty("imageScanStatus").GetProperty("status").GetString());

        var findings = first.GetProperty("imageScanFindings");
        Assert.False(findings.TryGetProperty("findings", out _));
        var enhanced = findings.GetProperty("enhancedFindings")[0];
        Assert.Equal("CVE-2023-90006 - openssl", enhanced.GetProperty("title").GetString());
        Assert.Equal(("ACTIVE", "PACKAGE_VULNERABILITY", "UNDEFINED", "YES"), (enhanced.GetProperty("status").GetString(), enhanced.GetProperty("type").GetString(), enhanced.GetProperty("severity").GetString(), enhanced.GetProperty("fixAvailable").GetString()));
        Assert.StartsWith("arn:aws:inspector2:us-east-1:123456789012:finding/", enhanced.GetProperty("findingArn").GetString(), StringComparison.Ordinal);
        var details = enhanced.GetProperty("packageVulnerabilityDetails");
        Assert.Equal("CVE-2023-90006", details.GetProperty("vulnerabilityId").GetString());
        Assert.Equal(["ALPINE-CVE-2023-90006"], details.GetProperty("relatedVulnerabilities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            ["libcrypto3 3.1.4-r1 x86_64 OS /lib/apk/db/installed fix=3.1.4-r3", "libssl3 3.1.4-r1 x86_64 OS /lib/apk/db/installed fix=3.1.4-r3"],
            details.GetProperty("vulnerablePackages").EnumerateArray().Select(p =>
                $"{p.GetProperty("name").GetString()} {p.GetProperty("version").GetString()} {p.GetProperty("arch").GetString()} {p.GetProperty("packageManager").GetString()} {p.GetProperty("filePath").GetString()} fix={p.GetProperty("fixedInVersion").GetString()}"));
        Assert.Equal("Upgrade openssl to version 3.1.4-r3 or later.", enhanced.GetProperty("remediation").GetProperty("recommendation").GetProperty("text").GetString());
        var resource = enhanced.GetProperty("resources")[0];
        Assert.Equal("AWS_ECR_CONTAINER_IMAGE", resource.GetProperty("type").GetString());
        Assert.Equal(digest, resource.GetProperty("details").GetProperty("awsEcrContainerImage").GetProperty("imageHash").GetString());
        var completed = findings.GetProperty("imageScanCompletedAt").GetDouble();

        // A newer database queues a rescan of continuously scanned repositories (no quota: it is the registry's own).
        await Task.Delay(1100);
        await ImportAsync();
        JsonElement again;
        var waited = 0;
        do
        {
            await Task.Delay(100);
            again = await _ecr.OkAsync("DescribeImageScanFindings", ImageRequest("prod-web", "v1"));
        }
        while ((again.GetProperty("imageScanStatus").GetProperty("status").GetString() != "ACTIVE"
            || again.GetProperty("imageScanFindings").GetProperty("imageScanCompletedAt").GetDouble() <= completed) && ++waited < 300);

        Assert.True(again.GetProperty("imageScanFindings").GetProperty("imageScanCompletedAt").GetDouble() > completed, again.ToString());
        Assert.Equal(1, again.GetProperty("imageScanFindings").GetProperty("enhancedFindings").GetArrayLength());
    }
}
