using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Tests.EndToEnd;
using Berth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Berth.Tests.WebConsole;

/// <summary>
/// One real Berth server (in-process, on a loopback port, SigV4, lifecycle applied every 2 s) with two accounts' root
/// keys, and one headless Debian Chromium driven by Playwright, shared by a test class. Playwright's own browser
/// download is not used: the system's /usr/bin/chromium is. Nothing starts when Chromium is missing (the tests skip).
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string Chromium = "chromium";
    public const string AccountA = "111111111111";
    public const string AccountB = "222222222222";
    public static readonly SigV4Credentials KeyA = new("AKIACONSOLEAAAAAAAA1", "consoleSecretAAAAAAAAAAAAAAAAAAAAAAAAAAA", AccountA);
    public static readonly SigV4Credentials KeyB = new("AKIACONSOLEBBBBBBBB2", "consoleSecretBBBBBBBBBBBBBBBBBBBBBBBBBBB", AccountB);

    private readonly TempDirectory _data = new();
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Where screenshots go: docs/console when BERTH_CONSOLE_SCREENSHOTS=1 (to refresh the README's), else a temp dir.</summary>
    public string ScreenshotDirectory { get; private set; } = null!;

    public static string ChromiumPath => Tools.FindOnPath(Chromium) ?? "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!Tools.IsAvailable(Chromium) && Environment.GetEnvironmentVariable("BERTH_E2E_REQUIRED") != "1")
        {
            return;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Berth:Auth"] = "sigv4",
            ["Berth:DataDir"] = _data.Path,
            ["Berth:AccountId"] = AccountA,
            ["Berth:Listen"] = "http://127.0.0.1:0",
            ["Berth:PublicUrl"] = "http://registry.test:5000",
            ["Berth:LifecycleInterval"] = "2s",
        }).Build();
        _app = await BerthApp.BuildAsync(BerthApp.CreateBuilder(configuration), CancellationToken.None);
        await _app.StartAsync();
        Address = new Uri(_app.Urls.Single());
        Http = new HttpClient { BaseAddress = Address };
        // EcrClient signs relative requests for host "localhost"; Kestrel takes any Host.
        Http.DefaultRequestHeaders.Host = "localhost";
        var keys = _app.Services.GetRequiredService<AccessKeyService>();
        foreach (var key in new[] { KeyA, KeyB })
        {
            Assert.True(await keys.AddAsync(new AccessKey(key.AccessKeyId, key.SecretAccessKey, key.AccountId, DateTimeOffset.UtcNow), CancellationToken.None));
        }

        ScreenshotDirectory = Environment.GetEnvironmentVariable("BERTH_CONSOLE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "console")
            : Directory.CreateDirectory(Path.Combine(_data.Path, "screenshots")).FullName;
        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root (CI, containers) Chromium refuses to start with its sandbox.
            Args = ["--no-sandbox"],
        });
    }

    public EcrClient Ecr(SigV4Credentials key) => new(Http, key.AccountId, "us-east-1", key);

    /// <summary>A new browser context (its own cookies) at <paramref name="width"/> × <paramref name="height"/>.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });

    /// <summary>A page signed in as <paramref name="key"/> through the sign-in form.</summary>
    public async Task<IPage> SignedInPageAsync(IBrowserContext context, SigV4Credentials key)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/");
        await page.GetByLabel("Access key id").FillAsync(key.AccessKeyId);
        await page.GetByLabel("Secret access key").FillAsync(key.SecretAccessKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync($"arn:aws:iam::{key.AccountId}:root");
        return page;
    }

    /// <summary>Pushes a small image as account A over /v2/ with A's registry token.</summary>
    public async Task<V2Image> PushAsync(string repository, string? tag)
    {
        var token = (await Ecr(KeyA).OkAsync("GetAuthorizationToken")).GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString();
        using var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Host = "localhost";
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic " + token);
        return await new V2Pusher(http, repository).PushImageAsync(tag);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _data.Dispose();
    }

    private static string RepositoryRoot()
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
