using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(SystemGroup.Name)]
public sealed class AdminConfigHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    private Task<string> AdminTokenAsync() => _api.LoginAdminAsync();

    [Fact]
    public async Task GetConfig_Admin_ShowsEveryKeyWithPriceTable()
    {
        var call = await _api.GetAsync("/api/admin/config", await AdminTokenAsync());

        Assert.Equal(HttpStatusCode.OK, call.Status);
        foreach (var key in new[] { "max_concurrent_tasks_per_user", "default_task_timeout", "maintenance_mode", "maintenance_message",
                     "heartbeat_timeout_seconds", "task_prices", "log_retention_days", "version" })
        {
            Assert.NotNull(call.Data[key]);
        }

        Assert.Equal(3, call.Data["heartbeat_timeout_seconds"]!.GetValue<int>());
        Assert.True(call.Data["task_prices"]!.AsObject().ContainsKey("video_analysis"));
    }

    [Fact]
    public async Task UpdateConfig_PartialChange_ChangesOnlyThoseKeysAndBumpsTheVersion()
    {
        var admin = await AdminTokenAsync();
        var before = (await _api.GetAsync("/api/admin/config", admin)).Data;
        var message = "back soon " + Guid.NewGuid().ToString("N")[..6];

        var call = await _api.PutAsync("/api/admin/config", new { maintenance_message = message, log_retention_days = 45 }, admin);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var after = (await _api.GetAsync("/api/admin/config", admin)).Data;
        Assert.Equal(message, after["maintenance_message"]!.GetValue<string>());
        Assert.Equal(45, after["log_retention_days"]!.GetValue<int>());
        Assert.True(after["version"]!.GetValue<long>() > before["version"]!.GetValue<long>());
        Assert.Equal(before["task_prices"]!.ToJsonString(), after["task_prices"]!.ToJsonString());
        Assert.Equal(before["max_concurrent_tasks_per_user"]!.GetValue<int>(), after["max_concurrent_tasks_per_user"]!.GetValue<int>());
        Assert.False(after["maintenance_mode"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("{\"no_such_key\": 1}", "no_such_key")]
    [InlineData("{\"max_concurrent_tasks_per_user\": 0}", "max_concurrent_tasks_per_user")]
    [InlineData("{\"default_task_timeout\": 9}", "default_task_timeout")]
    [InlineData("{\"heartbeat_timeout_seconds\": 1}", "heartbeat_timeout_seconds")]
    [InlineData("{\"task_prices\": {\"Bad Type\": 1}}", "task_prices")]
    [InlineData("{\"task_prices\": {\"video_analysis\": -1}}", "task_prices")]
    [InlineData("{\"log_retention_days\": 0, \"maintenance_mode\": false}", "log_retention_days")]
    [InlineData("{\"maintenance_mode\": \"yes\"}", "maintenance_mode")]
    public async Task UpdateConfig_UnknownKeyOrBadValue_Returns422AndChangesNothing(string body, string field)
    {
        var admin = await AdminTokenAsync();
        var before = (await _api.GetAsync("/api/admin/config", admin)).Data["version"]!.GetValue<long>();

        var call = await _api.SendAsync(HttpMethod.Put, "/api/admin/config", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), admin);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.NotNull(call.Body["details"]!["field_errors"]![field]);
        Assert.Equal(before, (await _api.GetAsync("/api/admin/config", admin)).Data["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Config_NonAdmin_Is403_Anonymous401()
    {
        var user = await _api.CreateUserAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/admin/config", user.Token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PutAsync("/api/admin/config", new { log_retention_days = 5 }, user.Token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/admin/config")).Status);
    }
}
