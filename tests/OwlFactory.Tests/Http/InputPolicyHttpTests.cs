using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>Issue 11's bad-input reproductions: each answers a 422 envelope naming the field, never a 5xx.</summary>
[Collection(SystemGroup.Name)]
public sealed class InputPolicyHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    private Task<string> AdminTokenAsync() => _api.LoginAdminAsync();

    private static void AssertRefused(ApiCall call, string field)
    {
        Assert.True(call.Status == HttpStatusCode.UnprocessableEntity, call.ToString());
        Assert.Equal("VALIDATION_ERROR", call.ErrorCode);
        Assert.False(call.Body["success"]!.GetValue<bool>());
        var errors = call.Body["details"]!["field_errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), call.ToString());
        var text = errors.ToJsonString();
        foreach (var leak in new[] { "Nullable", "Int32", "System.", "parameter \"", "Failed to bind" })
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("PUT", "/api/users/me", """{"full_name":"a\u0000b"}""", "full_name")]
    [InlineData("PUT", "/api/users/me", """{"username":""}""", "username")]
    [InlineData("POST", "/api/tasks", """{"title":"t\u0000","task_type":"test"}""", "title")]
    [InlineData("POST", "/api/tasks", """{"title":"t","task_type":"te\u0000st"}""", "task_type")]
    [InlineData("POST", "/api/tasks", """{"title":"t","task_type":"test","config":{"k":"v\u0000"}}""", "config")]
    [InlineData("POST", "/api/tasks", """{"title":"t","task_type":"test","config":{"k":1,"k":2}}""", "config")]
    [InlineData("POST", "/api/tasks", """{"title":"t","task_type":"test","priority":"3"}""", "priority")]
    [InlineData("POST", "/api/tasks", """{"title":"t","title":"u","task_type":"test"}""", "title")]
    [InlineData("POST", "/api/tasks", """{"title":"t","task_type":"test","description":"\ud800"}""", "description")]
    [InlineData("POST", "/api/recharge/redeem", """{"code":"AB\u0000CD"}""", "code")]
    public async Task UserBody_RefusedByThePolicy_Is422NamingTheField(string method, string path, string json, string field)
    {
        var user = await _api.CreateUserAsync();

        var call = await _api.SendAsync(new HttpMethod(method), path, new StringContent(json, Encoding.UTF8, "application/json"), user.Token);

        AssertRefused(call, field);
    }

    [Theory]
    [InlineData("/api/auth/register", """{"email":"n@example.test","username":"nul_user","password":"password123","full_name":"a\u0000"}""", "full_name")]
    [InlineData("/api/auth/login", """{"email":"admin@example.com\u0000","password":"admin123"}""", "email")]
    public async Task AnonymousBody_WithNul_Is422NotA5xx(string path, string json, string field)
    {
        AssertRefused(await _api.PostRawAsync(path, json), field);
    }

    [Theory]
    [InlineData("/api/tasks?page=abc", "page")]
    [InlineData("/api/tasks?page_size=1&page_size=2", "page_size")]
    [InlineData("/api/tasks?task_type=a%00b", "task_type")]
    [InlineData("/api/admin/users?is_active=maybe", "is_active")]
    [InlineData("/api/admin/users?search=a%00b", "search")]
    [InlineData("/api/logs/system?start_date=notadate", "start_date")]
    [InlineData("/api/logs/system?end_date=9999-12-31", "end_date")]
    [InlineData("/api/logs/user-actions?end_date=9999-12-31", "end_date")]
    [InlineData("/api/logs/download?log_type=system&date=9999-12-31", "date")]
    public async Task Query_OfTheWrongTypeOrRange_Is422UnderItsOwnName(string path, string field)
    {
        AssertRefused(await _api.GetAsync(path, await AdminTokenAsync()), field);
    }

    [Theory]
    [InlineData("""{"log_retention_days":30,"log_retention_days":31}""", "body")]
    [InlineData("""{"max_concurrent_tasks_per_user":"5"}""", "max_concurrent_tasks_per_user")]
    [InlineData("""{}""", "body")]
    public async Task AdminConfig_BadBody_Is422AndChangesNothing(string json, string field)
    {
        var admin = await AdminTokenAsync();
        var before = (await _api.GetAsync("/api/admin/config", admin)).Data.ToJsonString();

        var call = await _api.SendAsync(HttpMethod.Put, "/api/admin/config", new StringContent(json, Encoding.UTF8, "application/json"), admin);

        AssertRefused(call, field);
        Assert.Equal(before, (await _api.GetAsync("/api/admin/config", admin)).Data.ToJsonString());
    }

    [Fact]
    public async Task CreateServer_NegativeFractionalMemory_Is422()
    {
        var call = await _api.PostRawAsync("/api/gpu/servers",
            $$"""{"name":"neg-{{Guid.NewGuid():N}}","host":"h","total_memory":-0.4}""", await AdminTokenAsync());

        AssertRefused(call, "total_memory");
    }

    [Theory]
    [InlineData("progress", """{"progress":1e308}""", "progress")]
    [InlineData("progress", """{"progress":"NaN"}""", "progress")]
    [InlineData("progress", """{"progress":"Infinity"}""", "progress")]
    [InlineData("progress", """{"progress":"50"}""", "progress")]
    [InlineData("progress", """{"progress":100.49}""", "progress")]
    [InlineData("logs", """{"lines":[null]}""", "lines[0]")]
    [InlineData("logs", """{"lines":[{"message":"a\u0000"}]}""", "lines[0].message")]
    [InlineData("fail", """{"error_message":"boom\u0000"}""", "error_message")]
    [InlineData("complete", """{"result":{"out":"\u0000"}}""", "result")]
    public async Task AgentTaskCall_BadNumberOrText_Is422(string action, string json, string field)
    {
        var (_, token) = await CreateServerAsync();

        var call = await _api.PostRawAsync($"/api/agent/tasks/{Guid.NewGuid()}/{action}", json, token);

        AssertRefused(call, field);
    }

    [Theory]
    [InlineData("""{"cpu_usage":"Infinity","memory_usage":1}""", "cpu_usage")]
    [InlineData("""{"cpu_usage":1,"memory_usage":1,"gpus":[{"gpu_id":0,"usage":1,"memory_used":1,"memory_total":2,"temperature":"NaN"}]}""", "gpus[0].temperature")]
    [InlineData("""{"cpu_usage":1,"memory_usage":1,"gpus":[{"gpu_id":0,"usage":1,"memory_used":1,"memory_total":2,"temperature":1e308}]}""", "gpus[0].temperature")]
    public async Task Heartbeat_NonFiniteOrHugeTelemetry_Is422AndStatusStillAnswers(string json, string field)
    {
        var (id, token) = await CreateServerAsync();

        var call = await _api.PostRawAsync("/api/agent/heartbeat", json, token);

        AssertRefused(call, field);
        var admin = await AdminTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync($"/api/gpu/servers/{id}/status", admin)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync($"/api/gpu/servers/{id}/history", admin)).Status);
    }

    [Fact]
    public async Task WrongMethod_Is405WithItsOwnCode()
    {
        var user = await _api.CreateUserAsync();

        var call = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", null, user.Token);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, call.Status);
        Assert.Equal("METHOD_NOT_ALLOWED", call.ErrorCode);
    }

    private async Task<(string Id, string Token)> CreateServerAsync()
    {
        var call = await _api.PostAsync("/api/gpu/servers", new
        {
            name = "policy-" + Guid.NewGuid().ToString("N")[..10],
            host = "127.0.0.1",
            gpu_count = 1,
            max_concurrent_tasks = 1,
            total_memory = 80.0,
        }, await AdminTokenAsync());
        Assert.True(call.Status == HttpStatusCode.Created, call.ToString());
        return (call.Data["server"]!["id"]!.GetValue<string>(), call.Data["agent_token"]!.GetValue<string>());
    }
}
