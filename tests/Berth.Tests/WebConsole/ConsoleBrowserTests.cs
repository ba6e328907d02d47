using System.Text.Json;
using Berth.Tests.EndToEnd;
using Microsoft.Playwright;

namespace Berth.Tests.WebConsole;

/// <summary>
/// The web console in a real headless Chromium against a real server: sign-in and sign-out, each page, and one full
/// task per area, each checked through the ECR API afterwards. Screenshots of the main pages are written on the way.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string A = ConsoleBrowser.AccountA;
    private const string B = ConsoleBrowser.AccountB;

    [E2EFact(ConsoleBrowser.Chromium)]
    public async Task Sign_in_by_keyboard_refuses_a_wrong_secret_sets_a_strict_cookie_and_sign_out_ends_the_session()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/");
        await page.ScreenshotAsync(new() { Path = Shot("sign-in.png") });

        // The key id field has focus; Tab reaches the secret, Enter submits.
        await page.Keyboard.TypeAsync(ConsoleBrowser.KeyA.AccessKeyId);
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Secret access key")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("not-the-secret");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#sign-in-message")).ToContainTextAsync("UnrecognizedClientException");
        Assert.Empty(await context.CookiesAsync());

        await page.GetByLabel("Secret access key").FillAsync(ConsoleBrowser.KeyA.SecretAccessKey);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync($"arn:aws:iam::{A}:root");
        var cookie = Assert.Single(await context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/console/", cookie.Path);

        // Without the session's token header a state-changing call is refused even with the cookie.
        var forged = await context.APIRequest.PostAsync("/console/api/ecr/CreateRepository", new() { DataString = """{"repositoryName":"forged"}""", Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" } });
        Assert.Equal(403, forged.Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Access key id")).ToBeVisibleAsync();
        var after = await context.APIRequest.GetAsync("/console/api/session");
        Assert.Equal(401, after.Status);
    }

    [E2EFact(ConsoleBrowser.Chromium)]
    public async Task Create_a_repository_with_tags_and_settings_from_the_form()
    {
        await using var context = await browser.NewContextAsync();
        var page = await browser.SignedInPageAsync(context, ConsoleBrowser.KeyA);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("team/created");
        await page.Locator("#new-tags").FillAsync("team=payments\ncost-centre=42");
        await page.Locator("#new-mutability").SelectOptionAsync("IMMUTABLE_WITH_EXCLUSION");
        await page.Locator("#new-exclusions").FillAsync("latest, dev-*");
        await page.Locator("#new-scan").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create repository" }).ClickAsync();
        await Assertions.Expect(page.Locator("#create-message")).ToContainTextAsync("Created team/created");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "team/created" }).First).ToBeVisibleAsync();

        var ecr = browser.Ecr(ConsoleBrowser.KeyA);
        var repository = (await ecr.OkAsync("DescribeRepositories", """{"repositoryNames":["team/created"]}""")).GetProperty("repositories")[0];
        Assert.Equal("IMMUTABLE_WITH_EXCLUSION", repository.GetProperty("imageTagMutability").GetString());
        Assert.Equal(2, repository.GetProperty("imageTagMutabilityExclusionFilters").GetArrayLength());
        Assert.True(repository.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        var tags = (await ecr.OkAsync("ListTagsForResource", $$"""{"resourceArn":"{{repository.GetProperty("repositoryArn").GetString()}}"}""")).GetProperty("tags");
        Assert.Equal(["cost-centre=42", "team=payments"], tags.EnumerateArray().Select(t => $"{t.GetProperty("Key").GetString()}={t.GetProperty("Value").GetString()}").Order(StringComparer.Ordinal));

        // A tag over the limit is refused in the page, before anything is sent.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("team/too-long");
        await page.Locator("#new-tags").FillAsync("k=" + new string('v', 257));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create repository" }).ClickAsync();
        await Assertions.Expect(page.Locator("#create-message")).ToContainTextAsync("longer than 256");
        Assert.Contains("RepositoryNotFoundException", (await ecr.CallAsync("DescribeRepositories", """{"repositoryNames":["team/too-long"]}""")).Body, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Shot("repositories.png"), FullPage = true });
    }

    [E2EFact(ConsoleBrowser.Chromium)]
    public async Task Images_page_filters_untagged_images_and_the_detail_shows_layers_and_the_manifest()
    {
        await browser.Ecr(ConsoleBrowser.KeyA).OkAsync("CreateRepository", """{"repositoryName":"web"}""");
        var tagged = await browser.PushAsync("web", "v1");
        await browser.PushAsync("web", "v2");
        var untagged1 = await browser.PushAsync("web", null);
        var untagged2 = await browser.PushAsync("web", null);

        await using var context = await browser.NewContextAsync();
        var page = await browser.SignedInPageAsync(context, ConsoleBrowser.KeyA);
        await page.GotoAsync("/console/#/repository/web/images");
        await Assertions.Expect(page.Locator("#image-rows tr")).ToHaveCountAsync(4);
        await page.ScreenshotAsync(new() { Path = Shot("images.png"), FullPage = true });

        await page.GetByLabel("Tag status").SelectOptionAsync("UNTAGGED");
        await Assertions.Expect(page.Locator("#image-rows tr")).ToHaveCountAsync(2);
        var digests = await page.Locator("#image-rows tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.digest)");
        Assert.Equal(new[] { untagged1.Digest, untagged2.Digest }.Order(StringComparer.Ordinal), digests.Order(StringComparer.Ordinal));

        await page.GotoAsync($"/console/#/repository/web/image/{Uri.EscapeDataString(tagged.Digest)}");
        await Assertions.Expect(page.Locator("#manifest")).ToContainTextAsync(tagged.ConfigDigest);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Layers" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("td.digest").Filter(new() { HasText = tagged.LayerDigests[0] })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No referrers.")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("image-detail.png"), FullPage = true });
    }

    [E2EFact(ConsoleBrowser.Chromium)]
    public async Task Lifecycle_preview_explains_every_image_and_applying_it_deletes_exactly_the_expiring_ones()
    {
        var ecr = browser.Ecr(ConsoleBrowser.KeyA);
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"jobs"}""");
        var kept = await browser.PushAsync("jobs", "stable");
        for (var i = 0; i < 3; i++)
        {
            await browser.PushAsync("jobs", null);
        }

        await using var context = await browser.NewContextAsync();
        var page = await browser.SignedInPageAsync(context, ConsoleBrowser.KeyA);
        await page.GotoAsync("/console/#/repository/jobs/lifecycle");
        // The starting rule selects untagged images; keep only the newest one.
        await page.Locator(".rule-count-type").SelectOptionAsync("imageCountMoreThan");
        await page.Locator(".rule-count").FillAsync("1");
        Assert.Contains("\"imageCountMoreThan\"", await page.Locator("#policy-text").InputValueAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.Locator("#preview-summary")).ToContainTextAsync("4 images, 2 expire");
        await Assertions.Expect(page.Locator("#preview tbody tr")).ToHaveCountAsync(4);
        var expiring = await page.Locator("#preview tr[data-action=EXPIRE]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.digest)");
        Assert.Equal(2, expiring.Length);
        await Assertions.Expect(page.Locator($"#preview tr[data-digest='{kept.Digest}']")).ToContainTextAsync("no rule selects this image");
        await page.ScreenshotAsync(new() { Path = Shot("lifecycle.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Apply policy" }).ClickAsync();
        await Assertions.Expect(page.Locator("#applied")).ToBeVisibleAsync();

        // The lifecycle job runs every 2 s here; the two images the preview marked go, the rest stay.
        string[] left = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            left = [.. (await ecr.OkAsync("DescribeImages", """{"repositoryName":"jobs"}""")).GetProperty("imageDetails").EnumerateArray().Select(d => d.GetProperty("imageDigest").GetString()!)];
            if (left.Length == 2)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(2, left.Length);
        Assert.Empty(left.Intersect(expiring));
        Assert.Contains(kept.Digest, left);
    }

    [E2EFact(ConsoleBrowser.Chromium)]
    public async Task Granting_another_account_pull_in_the_repository_policy_lets_its_key_pull()
    {
        await browser.Ecr(ConsoleBrowser.KeyA).OkAsync("CreateRepository", """{"repositoryName":"shared"}""");
        var image = await browser.PushAsync("shared", "v1");
        var ecrB = browser.Ecr(ConsoleBrowser.KeyB);
        var batchGet = $$"""{"registryId":"{{A}}","repositoryName":"shared","imageIds":[{"imageTag":"v1"}]}""";
        Assert.Contains("AccessDeniedException", (await ecrB.CallAsync("BatchGetImage", batchGet)).Body, StringComparison.Ordinal);

        await using var context = await browser.NewContextAsync();
        var page = await browser.SignedInPageAsync(context, ConsoleBrowser.KeyA);
        await page.GotoAsync("/console/#/repository/shared/permissions");
        // The server's own validation message for a broken policy.
        await page.Locator("#repository-policy").FillAsync("{\"Statement\": 3}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(page.Locator("#policy-message")).ToContainTextAsync("InvalidParameterException");

        await page.Locator("#repository-policy").FillAsync(string.Empty);
        await page.GetByLabel("Let another account pull").FillAsync(B);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add pull statement" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(page.Locator("#policy-saved")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("permissions.png"), FullPage = true });

        var pulled = await ecrB.OkAsync("BatchGetImage", batchGet);
        Assert.Equal(image.Digest, pulled.GetProperty("images")[0].GetProperty("imageId").GetProperty("imageDigest").GetString());

        // B, signed in and looking at A's registry, sees what it may not do before clicking.
        await using var contextB = await browser.NewContextAsync();
        var pageB = await browser.SignedInPageAsync(contextB, ConsoleBrowser.KeyB);
        await pageB.GetByLabel("Account").FillAsync(A);
        await pageB.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
        await Assertions.Expect(pageB.GetByRole(AriaRole.Button, new() { Name = "Create repository" })).ToBeDisabledAsync();
        await Assertions.Expect(pageB.Locator("#repositories-status")).ToContainTextAsync("AccessDeniedException");
        await pageB.GotoAsync("/console/#/repository/shared/lifecycle");
        await Assertions.Expect(pageB.GetByRole(AriaRole.Button, new() { Name = "Apply policy" })).ToBeDisabledAsync();
    }

    [E2EFact(ConsoleBrowser.Chromium)]
    public async Task Settings_page_renders_and_a_phone_width_page_has_no_horizontal_scroll()
    {
        await using var context = await browser.NewContextAsync();
        var page = await browser.SignedInPageAsync(context, ConsoleBrowser.KeyA);
        await page.GotoAsync("/console/#/settings");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Registry policy" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Repository creation templates" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("settings.png"), FullPage = true });

        await using var phone = await browser.NewContextAsync(390, 844);
        var small = await browser.SignedInPageAsync(phone, ConsoleBrowser.KeyA);
        await browser.Ecr(ConsoleBrowser.KeyA).CallAsync("CreateRepository", """{"repositoryName":"a-rather-long-repository-name/for-the-phone-width-check"}""");
        await small.GotoAsync("/console/#/repositories");
        await small.ReloadAsync();
        await Assertions.Expect(small.GetByRole(AriaRole.Link, new() { Name = "a-rather-long-repository-name/for-the-phone-width-check" })).ToBeVisibleAsync();
        var widths = await small.EvaluateAsync<JsonElement>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0].GetInt32() <= widths[1].GetInt32(), $"the page scrolls sideways at 390 px: {widths}");
        await small.ScreenshotAsync(new() { Path = Shot("phone.png"), FullPage = true });
    }

    private string Shot(string name) => Path.Combine(browser.ScreenshotDirectory, name);
}
