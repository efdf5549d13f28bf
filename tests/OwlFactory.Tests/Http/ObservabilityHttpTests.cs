using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(SystemGroup.Name)]
public sealed class ObservabilityHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();
    private readonly HttpClient _http = new() { BaseAddress = system.BaseAddress };

    public void Dispose()
    {
        _api.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task Metrics_PrometheusScrape_HasAspNetCoreOrleansAndPlatformInstruments()
    {
        // A pending task of its own (of a type no agent of another test runs) is counted by the next refresh of the
        // tasks in flight, whatever other tests left; it is cancelled once seen.
        var user = await _api.CreateUserAsync();
        var funded = await _api.PutAsync($"/api/admin/users/{user.Id}", new { balance = 100m }, await _api.LoginAdminAsync());
        Assert.Equal(HttpStatusCode.OK, funded.Status);
        var task = await _api.PostAsync("/api/tasks", new { title = "metrics", task_type = "data_processing" }, user.Token);
        Assert.Equal(HttpStatusCode.Created, task.Status);
        // A heartbeat-free scrape still has the gauges; a request first makes sure the HTTP histogram has a sample.
        await _api.GetAsync("/api/health");
        // The gauges are read from the database every 10 s.
        var text = await Poll.UntilAsync(
            () => _http.GetStringAsync("/metrics"), t => PendingTasks(t) > 0,
            TimeSpan.FromSeconds(25), TimeSpan.FromMilliseconds(250), _ => "the scrape never counted a pending task");
        await _api.PostAsync($"/api/tasks/{task.Data["id"]!.GetValue<string>()}/cancel", null, user.Token);

        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        Assert.Contains("owl_queue_length", text, StringComparison.Ordinal);
        Assert.Contains("owl_tasks{", text, StringComparison.Ordinal);
        Assert.Contains("owl_logs_dropped_total", text, StringComparison.Ordinal);
    }

    private static long PendingTasks(string scrape)
    {
        var series = Regex.Match(scrape, "^owl_tasks\\{[^}]*status=\"pending\"[^}]*\\} ([0-9]+)", RegexOptions.Multiline);
        return series.Success ? long.Parse(series.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task Dashboard_AdminsOnly_ATokenGivenOnceIsKeptInACookie()
    {
        var user = await _api.CreateUserAsync();
        var admin = await _api.LoginAdminAsync();

        var anonymous = await _http.GetAsync("/api/dashboard/");
        using var asUser = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/");
        asUser.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        var userAnswer = await _http.SendAsync(asUser);
        var withQuery = await _http.GetAsync($"/api/dashboard/?access_token={admin}");
        var cookie = withQuery.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("owl_dashboard=", StringComparison.Ordinal));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/");
        again.Headers.Add("Cookie", cookie.Split(';')[0]);
        var withCookie = await _http.SendAsync(again);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, userAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withQuery.StatusCode);
        Assert.Contains("HttpOnly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
        Assert.Contains("Orleans Dashboard", await withCookie.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
