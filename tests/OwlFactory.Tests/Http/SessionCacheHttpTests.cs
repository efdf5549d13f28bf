using System.Diagnostics;
using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>
/// Two API hosts, each keeping the sessions it checked: a change made through one is in force through the other at
/// once for revocations, and within the announcement's few milliseconds for everything else.
/// </summary>
[Collection(SystemGroup.Name)]
public sealed class SessionCacheHttpTests(SystemFixture system) : IAsyncLifetime, IDisposable
{
    private readonly Uri _secondAddress = new($"http://127.0.0.1:{FreePort.Next()}");
    private OwlProcess? _second;
    private OwlApiClient _a = null!;
    private OwlApiClient _b = null!;
    private string _admin = "";

    public async Task InitializeAsync()
    {
        _second = system.StartExtraApi(_secondAddress);
        _a = system.CreateClient();
        _b = new OwlApiClient(new HttpClient { BaseAddress = _secondAddress, Timeout = TimeSpan.FromSeconds(30) });
        _admin = await _a.LoginAdminAsync();
        var deadline = Stopwatch.StartNew();
        while ((await TryGetAsync(_b, "/api/health")) != HttpStatusCode.OK)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the second API host never became ready" + Environment.NewLine + _second.RecentOutput);
            await Task.Delay(250);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _second?.Dispose();
    }

    [Fact]
    public async Task PasswordChange_ThroughOneHost_RevokesTheOldTokenOnTheOther_AtOnce()
    {
        var user = await _a.CreateUserAsync();
        await KeptByBothAsync(user.Token);

        var change = await _a.PostAsync("/api/users/change-password", new { current_password = user.Password, new_password = "brand-new-pass" }, user.Token);

        Assert.Equal(HttpStatusCode.OK, change.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _b.GetAsync("/api/users/me", user.Token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _a.GetAsync("/api/users/me", user.Token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _b.GetAsync("/api/users/me", change.Data["access_token"]!.GetValue<string>())).Status);
    }

    [Fact]
    public async Task Deactivation_ThroughOneHost_RefusesTheUserOnTheOther_AtOnce_AndReactivationAdmitsNewLogins()
    {
        var user = await _a.CreateUserAsync();
        await KeptByBothAsync(user.Token);

        var off = await _a.PutAsync($"/api/admin/users/{user.Id}", new { is_active = false }, _admin);

        Assert.Equal(HttpStatusCode.OK, off.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _b.GetAsync("/api/users/me", user.Token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _b.PutAsync($"/api/admin/users/{user.Id}", new { is_active = true }, _admin)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _a.GetAsync("/api/users/me", user.Token)).Status);
        var again = await _b.LoginAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, (await _a.GetAsync("/api/users/me", again)).Status);
    }

    [Fact]
    public async Task Redeem_ThroughOneHost_ShowsTheBalance_ThereAtOnce_AndOnTheOtherWithinASecond()
    {
        var user = await _a.CreateUserAsync();
        await KeptByBothAsync(user.Token);
        var codes = await _a.PostAsync("/api/recharge/codes", new { amount = 12.34m, batch_size = 1 }, _admin);
        var code = codes.Data["codes"]![0]!["code"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, (await _a.PostAsync("/api/recharge/redeem", new { code }, user.Token)).Status);

        Assert.Equal(12.34m, await BalanceAsync(_a, user.Token));
        await Poll.UntilAsync(() => BalanceAsync(_b, user.Token), balance => balance == 12.34m, TimeSpan.FromSeconds(1),
            TimeSpan.FromMilliseconds(10), _ => "the other host still shows the old balance");
    }

    [Fact]
    public async Task SubmitAndDelete_OfAFreeTask_MoveTotalTasks_OnBothHosts()
    {
        var user = await _a.CreateUserAsync();
        await KeptByBothAsync(user.Token);

        var task = await _a.PostAsync("/api/tasks", new { title = "count me", task_type = "test" }, user.Token);
        Assert.Equal(HttpStatusCode.Created, task.Status);
        Assert.Equal(1, await TotalTasksAsync(_a, user.Token));
        await UntilAsync(() => TotalTasksAsync(_b, user.Token), 1);

        var id = task.Data["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await _b.PostAsync($"/api/tasks/{id}/cancel", null, user.Token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _b.SendAsync(HttpMethod.Delete, $"/api/tasks/{id}", null, user.Token)).Status);
        Assert.Equal(0, await TotalTasksAsync(_b, user.Token));
        await UntilAsync(() => TotalTasksAsync(_a, user.Token), 0);
    }

    /// <summary>Both hosts have checked the token (so each keeps the session) and agree on the account.</summary>
    private async Task KeptByBothAsync(string token)
    {
        foreach (var api in new[] { _a, _b, _a, _b })
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/users/me", token)).Status);
        }
    }

    private static async Task<decimal> BalanceAsync(OwlApiClient api, string token)
        => (await api.GetAsync("/api/users/me", token)).Data["balance"]!.GetValue<decimal>();

    private static async Task<int> TotalTasksAsync(OwlApiClient api, string token)
        => (await api.GetAsync("/api/users/me", token)).Data["total_tasks"]!.GetValue<int>();

    private static Task<int> UntilAsync(Func<Task<int>> read, int expected)
        => Poll.UntilAsync(read, value => value == expected, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10),
            _ => $"still not {expected} after a second");

    private static async Task<HttpStatusCode?> TryGetAsync(OwlApiClient api, string path)
    {
        try
        {
            return (await api.GetAsync(path)).Status;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
