using System.Net;
using System.Net.Http.Headers;
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
        // A heartbeat-free scrape still has the gauges; a request first makes sure the HTTP histogram has a sample.
        await _api.GetAsync("/api/health");
        string text = "";
        for (var i = 0; i < 30 && !text.Contains("owl_tasks", StringComparison.Ordinal); i++)
        {
            text = await _http.GetStringAsync("/metrics");
            await Task.Delay(500);
        }

        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        Assert.Contains("owl_queue_length", text, StringComparison.Ordinal);
        Assert.Contains("owl_tasks{", text, StringComparison.Ordinal);
        Assert.Contains("owl_logs_dropped_total", text, StringComparison.Ordinal);
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
