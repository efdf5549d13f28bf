using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(SystemGroup.Name)]
public sealed class LogsHttpTests(SystemFixture system) : IDisposable
{
    private static readonly string[] TaskStatusCounts = ["pending_tasks", "running_tasks", "completed_tasks", "failed_tasks", "cancelled_tasks"];

    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    private Task<string> AdminAsync() => _api.LoginAdminAsync();

    [Fact]
    public async Task SystemLogs_HoldEveryProcesssRecords_NewestFirst_FilteredByLevelAndSearch()
    {
        var admin = await AdminAsync();
        // A config change makes every silo log "Applied system config version N" at Information.
        var version = (await _api.PutAsync("/api/admin/config", new { log_retention_days = 30 }, admin)).Data["version"]!.GetValue<long>();
        var search = $"Applied system config version {version}";

        var found = await EventuallyAsync(async () =>
        {
            var page = (await _api.GetAsync($"/api/logs/system?search={Uri.EscapeDataString(search)}&level=INFO", admin)).Data;
            return page["total"]!.GetValue<int>() >= 1 ? page : null;
        });
        var all = (await _api.GetAsync("/api/logs/system?page_size=200", admin)).Data;
        var apiHost = (await _api.GetAsync("/api/logs/system?search=Now%20listening%20on", admin)).Data;
        var errors = (await _api.GetAsync("/api/logs/system?level=ERROR", admin)).Data;
        var wildcard = (await _api.GetAsync("/api/logs/system?search=%25_%25", admin)).Data;

        var record = found["items"]![0]!;
        Assert.Equal("INFO", record["level"]!.GetValue<string>());
        Assert.Contains(search, record["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("silo@", record["process"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(50, (await _api.GetAsync("/api/logs/system", admin)).Data["page_size"]!.GetValue<int>());
        Assert.Contains(apiHost["items"]!.AsArray(), i => i!["process"]!.GetValue<string>().StartsWith("api@", StringComparison.Ordinal));
        var times = all["items"]!.AsArray().Select(i => i!["timestamp"]!.GetValue<DateTime>()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.All(errors["items"]!.AsArray(), i => Assert.Equal("ERROR", i!["level"]!.GetValue<string>()));
        Assert.Equal(0, wildcard["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/api/logs/system?page_size=201", "page_size")]
    [InlineData("/api/logs/system?level=LOUD", "level")]
    [InlineData("/api/logs/system?start_date=yesterday", null)]
    [InlineData("/api/logs/user-actions?page=0", "page")]
    [InlineData("/api/logs/download?log_type=system&date=2024-13-01", "date")]
    [InlineData("/api/logs/download?log_type=everything&date=2024-01-01", "log_type")]
    public async Task LogListings_BadQuery_Are422(string path, string? field)
    {
        var call = await _api.GetAsync(path, await AdminAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        if (field is not null)
        {
            Assert.True(call.Body["details"]!["field_errors"]!.AsObject().ContainsKey(field), call.ToString());
        }
    }

    [Fact]
    public async Task UserActions_RecordEveryKindOfActionAndLoginAttempt_WithWhoAndWhence()
    {
        var admin = await AdminAsync();
        var user = await _api.CreateUserAsync();
        await _api.PostAsync("/api/auth/login", new { email = user.Email, password = "wrong-password" });
        await _api.PutAsync("/api/users/me", new { full_name = "Audited" }, user.Token);
        var task = await _api.PostAsync("/api/tasks", new { title = "audited", task_type = "test" }, user.Token);
        await _api.PostAsync($"/api/tasks/{task.Data["id"]!.GetValue<string>()}/cancel", null, user.Token);
        await _api.PostAsync("/api/recharge/redeem", new { code = "OWL-AAAA-BBBB-CCCC" }, user.Token);
        await _api.PutAsync($"/api/admin/users/{user.Id}", new { balance = 5 }, admin);

        var mine = (await _api.GetAsync($"/api/logs/user-actions?user_id={user.Id}&page_size=200", admin)).Data["items"]!.AsArray();
        var byAction = (await _api.GetAsync($"/api/logs/user-actions?action={Uri.EscapeDataString("PUT /api/admin/users/{id}")}", admin)).Data;
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var future = (await _api.GetAsync($"/api/logs/user-actions?user_id={user.Id}&start_date={tomorrow}", admin)).Data;
        var paged = (await _api.GetAsync($"/api/logs/user-actions?user_id={user.Id}&page_size=2&page=2", admin)).Data;

        var actions = mine.Select(a => (Action: a!["action"]!.GetValue<string>(), Status: a["details"]!["status"]!.GetValue<int>())).ToList();
        Assert.Contains(("POST /api/auth/register", 201), actions);
        Assert.Contains(("POST /api/auth/login", 200), actions);
        Assert.Contains(("POST /api/auth/login", 401), actions);
        Assert.Contains(("PUT /api/users/me", 200), actions);
        Assert.Contains(("POST /api/tasks", 201), actions);
        Assert.Contains(("POST /api/tasks/{id}/cancel", 200), actions);
        Assert.Contains(("POST /api/recharge/redeem", 400), actions);
        Assert.All(mine, a =>
        {
            Assert.False(string.IsNullOrEmpty(a!["ip_address"]?.GetValue<string>()));
            Assert.DoesNotContain("wrong-password", a.ToJsonString(), StringComparison.Ordinal);
        });
        Assert.Equal(0, future["total"]!.GetValue<int>());
        Assert.Equal(mine.Count, paged["total"]!.GetValue<int>());
        Assert.Equal(mine[2]!["id"]!.GetValue<long>(), paged["items"]![0]!["id"]!.GetValue<long>());
        Assert.All(byAction["items"]!.AsArray(), a => Assert.Equal("PUT /api/admin/users/{id}", a!["action"]!.GetValue<string>()));
        var adjustment = byAction["items"]!.AsArray().First(a => a!["details"]!["id"]!.GetValue<string>() == user.Id.ToString())!;
        Assert.NotEqual(user.Id.ToString(), adjustment["user_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)adjustment["details"]!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task UserActions_ASubmitAndARedemptionWrittenWithTheirAction_AreRecordedOnceEach()
    {
        // A submit and a redemption hand their audit row to the grain that commits them; the API host records the
        // request itself only when the grain wrote nothing (a replay, a refusal). Either way: one row per request.
        var admin = await AdminAsync();
        var user = await _api.CreateUserAsync();
        var code = (await _api.PostAsync("/api/recharge/codes", new { amount = 50, batch_size = 1 }, admin)).Data["codes"]![0]!["code"]!.GetValue<string>();
        // A type the fleet tests' servers do not run, so no test server picks it up before it is cancelled.
        var task = new { title = "audited once", task_type = "data_processing" };

        var redeemed = await _api.PostAsync("/api/recharge/redeem", new { code }, user.Token);
        var again = await _api.PostAsync("/api/recharge/redeem", new { code }, user.Token);
        var first = await _api.SendWithHeaderAsync("/api/tasks", task, user.Token, "Idempotency-Key", "audit-once");
        var replay = await _api.SendWithHeaderAsync("/api/tasks", task, user.Token, "Idempotency-Key", "audit-once");
        await _api.PostAsync($"/api/tasks/{first.Data["id"]!.GetValue<string>()}/cancel", null, user.Token);

        Assert.Equal(HttpStatusCode.OK, redeemed.Status);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(first.Data["id"]!.GetValue<string>(), replay.Data["id"]!.GetValue<string>());
        var mine = (await _api.GetAsync($"/api/logs/user-actions?user_id={user.Id}&page_size=200", admin)).Data["items"]!.AsArray();
        var rows = mine.Select(a => (Action: a!["action"]!.GetValue<string>(), Status: a["details"]!["status"]!.GetValue<int>())).ToList();
        Assert.Equal(1, rows.Count(r => r == ("POST /api/recharge/redeem", 200)));
        Assert.Equal(1, rows.Count(r => r == ("POST /api/recharge/redeem", 400)));
        Assert.Equal(2, rows.Count(r => r == ("POST /api/tasks", 201)));
        Assert.All(mine, a => Assert.Equal(_api.ClientAddress, a!["ip_address"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Download_ADayWithMoreRecordsThanAPage_StreamsThemAllAsNdjson()
    {
        var admin = await AdminAsync();
        var user = await _api.CreateUserAsync();
        for (var i = 0; i < 220; i++)
        {
            await _api.PutAsync("/api/users/me", new { full_name = $"name {i}" }, user.Token);
        }

        using var http = new HttpClient { BaseAddress = system.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/logs/download?log_type=user-actions&date={DateTime.UtcNow:yyyy-MM-dd}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        var records = lines.Select(l => JsonNode.Parse(l)!).ToList();
        Assert.True(records.Count(r => r["user_id"]?.GetValue<string>() == user.Id.ToString()) >= 221);
        Assert.True(records.Count > 200);
    }

    [Fact]
    public async Task AdminStats_HaveTheContractsFields_AndAddUp()
    {
        var stats = (await _api.GetAsync("/api/admin/stats", await AdminAsync())).Data;

        foreach (var key in new[] { "total_users", "active_users", "total_tasks", "running_tasks", "completed_tasks", "failed_tasks",
                     "total_gpu_servers", "online_gpu_servers", "total_revenue" })
        {
            Assert.True(stats.AsObject().ContainsKey(key), key);
        }

        Assert.True(stats["total_users"]!.GetValue<long>() >= stats["active_users"]!.GetValue<long>());
        Assert.Equal(stats["total_tasks"]!.GetValue<long>(), TaskStatusCounts.Sum(k => stats[k]!.GetValue<long>()));
        Assert.Equal(await TestDatabase.ScalarAsync<decimal>("SELECT coalesce(-sum(amount), 0) FROM ledger_entries WHERE kind = 'charge'"),
            stats["total_revenue"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("GET", "/api/admin/stats")]
    [InlineData("GET", "/api/admin/config")]
    [InlineData("PUT", "/api/admin/config")]
    [InlineData("GET", "/api/admin/users")]
    [InlineData("PUT", "/api/admin/users/0f0f0f0f-0000-4000-8000-000000000001")]
    [InlineData("GET", "/api/logs/system")]
    [InlineData("GET", "/api/logs/user-actions")]
    [InlineData("GET", "/api/logs/download?log_type=system&date=2024-01-15")]
    [InlineData("GET", "/api/recharge/codes")]
    [InlineData("POST", "/api/recharge/codes")]
    [InlineData("POST", "/api/gpu/servers")]
    public async Task AdminEndpoints_UserIs403_AnonymousIs401(string method, string path)
    {
        var user = await _api.CreateUserAsync();
        object? body = method == "GET" ? null : new { };

        var asUser = await _api.SendAsync(new HttpMethod(method), path, body, user.Token);
        var anonymous = await _api.SendAsync(new HttpMethod(method), path, body, null);

        Assert.Equal(HttpStatusCode.Forbidden, asUser.Status);
        Assert.Equal("ACCESS_DENIED", asUser.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("INVALID_CREDENTIALS", anonymous.ErrorCode);
    }

    private static async Task<JsonNode> EventuallyAsync(Func<Task<JsonNode?>> probe)
        => (await Poll.UntilAsync(probe, found => found is not null, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(200), _ => "never appeared"))!;
}
