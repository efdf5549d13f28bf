using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OwlFactory.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OwlFactory.Tests.Browser;

/// <summary>
/// The web console in headless Chromium against the real system: what a user and an admin do, page by page, with
/// a scripted agent running the task. Each test saves screenshots of the pages it passes through to docs/screenshots.
/// </summary>
[Collection(SystemGroup.Name)]
public sealed partial class ConsoleBrowserTests(SystemFixture system) : IAsyncLifetime
{
    private readonly OwlApiClient _api = system.CreateClient();
    private ConsoleBrowser? _browser;
    private string _admin = "";
    private JsonNode? _pricesBefore;

    private ConsoleBrowser Chromium => _browser!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _browser = await ConsoleBrowser.LaunchAsync();
        _admin = await _api.LoginAdminAsync();
        _pricesBefore = (await _api.GetAsync("/api/admin/config", _admin)).Data["task_prices"]!.DeepClone();
    }

    public async Task DisposeAsync()
    {
        await _api.PutAsync("/api/admin/config", new { task_prices = _pricesBefore }, _admin);
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _api.Dispose();
    }

    [Fact]
    public async Task User_SignsUpRedeemsAndSubmits_AndWatchesTheTaskRunLive()
    {
        var type = await OwnTaskTypeAsync(0.01m);
        var code = await IssueCodeAsync(50m);
        var agent = await ScriptedAgent.CreateAsync(_api, _admin, 1, type);
        await agent.HeartbeatAsync();
        var page = await Chromium.NewPageAsync(system.BaseAddress);
        var name = "b" + Guid.NewGuid().ToString("N")[..12];

        // Sign up, then sign in with the address the sign-up page carried over.
        await page.GotoAsync("/register");
        await page.GetByLabel("邮箱").FillAsync($"{name}@example.test");
        await page.GetByLabel("用户名").FillAsync(name);
        await page.GetByLabel("姓名").FillAsync("浏览器用户");
        await page.GetByLabel("密码").FillAsync("secret-pass-1");
        await page.Locator("button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?registered=1"));
        await Expect(page.GetByText("注册成功，请登录")).ToBeVisibleAsync();
        await page.GetByLabel("密码").FillAsync("secret-pass-1");
        await ConsoleBrowser.ScreenshotAsync(page, "sign-in");
        await page.Locator("button[type=submit]").ClickAsync();
        await Expect(page.GetByText("最近任务")).ToBeVisibleAsync();

        // Redeem: the balance goes up on the page.
        await page.GotoAsync("/recharge");
        await page.GetByLabel("充值码").FillAsync(code.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "兑 换" }).Or(page.GetByRole(AriaRole.Button, new() { Name = "兑换" })).ClickAsync();
        await Expect(page.GetByText("兑换成功：+50.00，余额 50.00")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "50.00" })).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "recharge");

        // Submit: the hold is shown before submitting (0.01 a minute for the hour's timeout).
        await page.GotoAsync("/tasks/new");
        await page.GetByLabel("任务类型").ClickAsync();
        await page.Locator(".ant-select-item-option", new() { HasText = type }).ClickAsync();
        await page.GetByLabel("标题").FillAsync("浏览器测试任务");
        await Expect(page.GetByTestId("hold")).ToHaveTextAsync("0.60");
        await ConsoleBrowser.ScreenshotAsync(page, "submit-task");
        await page.Locator("button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/tasks/[0-9a-f-]{36}$"));
        var taskId = page.Url[^36..];
        await Expect(page.Locator("[data-status=pending]")).ToBeVisibleAsync();

        // The agent runs it; the page follows every step without a reload.
        var assigned = await agent.WaitForAssignmentsAsync();
        Assert.Equal([taskId], assigned);
        using var alive = new CancellationTokenSource();
        var beating = KeepOnlineAsync(agent, alive.Token);
        Assert.Equal(HttpStatusCode.OK, (await agent.StartAsync(taskId)).Status);
        await Expect(page.Locator("[data-status=running]")).ToBeVisibleAsync();
        await agent.LogsAsync(taskId, "loading model", "frame 1/3 analysed");
        Assert.Equal(HttpStatusCode.OK, (await agent.ProgressAsync(taskId, 40)).Status);
        await Expect(Progress(page)).ToContainTextAsync("40%");
        await Expect(page.GetByTestId("task-log")).ToContainTextAsync("frame 1/3 analysed");
        Assert.Equal(HttpStatusCode.OK, (await agent.ProgressAsync(taskId, 80)).Status);
        await agent.LogsAsync(taskId, "frame 2/3 analysed");
        await Expect(Progress(page)).ToContainTextAsync("80%");
        await Expect(page.GetByTestId("task-log")).ToContainTextAsync("frame 2/3 analysed");
        await ConsoleBrowser.ScreenshotAsync(page, "task-detail-running");
        Assert.Equal(HttpStatusCode.OK, (await agent.CompleteAsync(taskId, new { frames = 3 })).Status);
        await Expect(page.Locator("[data-status=completed]").First).ToBeVisibleAsync();
        await Expect(page.GetByText("\"frames\": 3")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "task-detail-completed");

        await page.GotoAsync("/tasks");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "浏览器测试任务" })).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "tasks");
        await page.GotoAsync("/");
        await Expect(page.GetByText("浏览器测试任务")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "dashboard");

        // The cluster view: the agent's server with live telemetry charts.
        await page.GotoAsync("/cluster");
        await page.GetByRole(AriaRole.Cell, new() { Name = await ServerNameAsync(agent.ServerId) }).ClickAsync();
        await Expect(page.GetByTestId("gpu-usage-chart").Locator("canvas")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(2000);
        await ConsoleBrowser.ScreenshotAsync(page, "cluster");
        await alive.CancelAsync();
        await beating;
    }

    [Fact]
    public async Task Admin_GeneratesCodes_AndEditsAUsersBalance()
    {
        var user = await _api.CreateUserAsync();
        var page = await Chromium.NewPageAsync(system.BaseAddress);
        await SignInAsync(page, BootstrapAdmin.Email, BootstrapAdmin.Password);

        // Generate a batch: the codes are shown once, and they work.
        await page.GotoAsync("/admin/codes");
        await page.GetByLabel("金额").FillAsync("25");
        await page.GetByLabel("数量").FillAsync("3");
        await page.GetByLabel("描述").FillAsync("browser batch");
        await page.GetByRole(AriaRole.Button, new() { Name = "生 成" }).Or(page.GetByRole(AriaRole.Button, new() { Name = "生成" })).ClickAsync();
        var shown = page.GetByTestId("issued-codes");
        await Expect(shown).ToContainTextAsync("OWL-");
        var codes = CodePattern().Matches(await shown.InnerTextAsync()).Select(m => m.Value).ToList();
        Assert.Equal(3, codes.Count);
        await ConsoleBrowser.ScreenshotAsync(page, "admin-codes-issued");
        var redeem = await _api.PostAsync("/api/recharge/redeem", new { code = codes[0] }, user.Token);
        Assert.True(redeem.Status == HttpStatusCode.OK, redeem.ToString());
        await page.Locator(".ant-modal-footer .ant-btn-primary").ClickAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "admin-codes");

        // Edit the user's balance (an adjustment of the ledger), found by searching.
        await page.GotoAsync("/admin/users");
        await page.GetByPlaceholder("邮箱、用户名或姓名").FillAsync(user.Username);
        await page.GetByPlaceholder("邮箱、用户名或姓名").PressAsync("Enter");
        await page.GetByTestId($"edit-{user.Username}").ClickAsync();
        await page.GetByLabel("余额").FillAsync("123.45");
        await ConsoleBrowser.ScreenshotAsync(page, "admin-user-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "保 存" }).Or(page.GetByRole(AriaRole.Button, new() { Name = "保存" })).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "123.45" })).ToBeVisibleAsync();
        var me = await _api.GetAsync("/api/users/me", user.Token);
        Assert.Equal(123.45m, me.Data["balance"]!.GetValue<decimal>());
        await ConsoleBrowser.ScreenshotAsync(page, "admin-users");

        foreach (var (path, shot) in new[] { ("/admin/servers", "admin-servers"), ("/admin/config", "admin-config"), ("/admin/logs", "admin-logs") })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator(".ant-card").First).ToBeVisibleAsync();
            await ConsoleBrowser.ScreenshotAsync(page, shot);
        }
    }

    [Fact]
    public async Task ApiDocs_IsTheContractsReference_ServedFromThisHost()
    {
        var page = await Chromium.NewPageAsync(system.BaseAddress);
        var outside = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(system.BaseAddress.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                outside.Add(request.Url);
            }
        };

        // Scalar's bundle is megabytes of script: on a loaded CI machine it parses for longer than a console page, so
        // the page is awaited by what it shows, not by its load event.
        await page.GotoAsync("/api/docs", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        await Expect(page).ToHaveTitleAsync("猫头鹰工厂 API 0.10.0");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "猫头鹰工厂 API" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByText("Idempotency-Key").First).ToBeVisibleAsync();
        await Expect(page.GetByText("任务管理").First).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "api-docs");
        Assert.DoesNotContain(await page.ContentAsync(), "/api/dashboard/", StringComparison.Ordinal);
        Assert.Empty(outside);
    }

    [Fact]
    public async Task ExpiredSession_GoesBackToSignIn()
    {
        var user = await _api.CreateUserAsync();
        var page = await Chromium.NewPageAsync(system.BaseAddress);
        await SignInAsync(page, user.Email, user.Password);

        // A token the server no longer accepts (as after expiry or revocation): the next call answers 401.
        await page.EvaluateAsync("() => localStorage.setItem('owl.token', 'not-a-valid-token')");
        await page.GetByText("我的任务").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/login\\?expired=1"));
        await Expect(page.GetByText("登录已过期，请重新登录")).ToBeVisibleAsync();
    }

    private static ILocator Progress(IPage page) => page.GetByTestId("task-progress");

    /// <summary>Heartbeats every second, as a live agent does, so the server stays online while the test watches the page.</summary>
    private static async Task KeepOnlineAsync(ScriptedAgent agent, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await agent.HeartbeatAsync();
                await Task.Delay(1000, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (InvalidOperationException)
            {
                // The running set changed under the heartbeat; the next beat sends it.
            }
        }
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("邮箱").FillAsync(email);
        await page.GetByLabel("密码").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await Expect(page.GetByText("最近任务")).ToBeVisibleAsync();
    }

    private async Task<string> OwnTaskTypeAsync(decimal price)
    {
        var type = "b_" + Guid.NewGuid().ToString("N")[..10];
        var prices = _pricesBefore!.DeepClone().AsObject();
        prices[type] = price;
        var put = await _api.PutAsync("/api/admin/config", new { task_prices = prices, default_task_timeout = 3600 }, _admin);
        Assert.True(put.Status == HttpStatusCode.OK, put.ToString());
        await Task.Delay(300);
        return type;
    }

    private async Task<string> IssueCodeAsync(decimal amount)
    {
        var issued = await _api.PostAsync("/api/recharge/codes", new { amount, batch_size = 1, description = "browser test" }, _admin);
        Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
        return issued.Data["codes"]![0]!["code"]!.GetValue<string>();
    }

    private async Task<string> ServerNameAsync(string serverId)
        => (await _api.GetAsync($"/api/gpu/servers/{serverId}", _admin)).Data["name"]!.GetValue<string>();

    [GeneratedRegex("OWL-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")]
    private static partial Regex CodePattern();
}
