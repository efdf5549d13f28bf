using Microsoft.Playwright;

namespace OwlFactory.Tests.Browser;

/// <summary>
/// Headless Chromium for the console's tests: Debian's chromium package (never a browser Playwright downloads),
/// driven by Playwright. Screenshots go to docs/screenshots/ of the checkout, so each run refreshes the docs' pictures.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "docs", "screenshots");

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (.ci/run does).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root (CI) Chromium's sandbox cannot start; the pages are our own.
            ChromiumSandbox = false,
        });
        return new ConsoleBrowser(playwright, browser);
    }

    /// <summary>
    /// A fresh browser profile (no token in local storage) at the console's address, in Chinese as a first visit is.
    /// The forwarded address gives it a client of its own for the API's per-client rate limits.
    /// </summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 860 },
            Locale = "zh-CN",
            TimezoneId = "UTC",
            ExtraHTTPHeaders = new Dictionary<string, string>
            {
                ["X-Forwarded-For"] = $"2001:db8::b:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}",
            },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        // Let charts and live figures settle for a moment, as a person would see them.
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png") });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OwlFactory.sln")))
            {
                return dir.FullName;
            }
        }

        return Path.GetTempPath();
    }
}
