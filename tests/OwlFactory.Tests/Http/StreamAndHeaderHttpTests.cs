using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>Issue 11: streams end with their session and are capped per user; idempotency keys; headers on every answer.</summary>
[Collection(SystemGroup.Name)]
public sealed class StreamAndHeaderHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    private Task<string> AdminTokenAsync() => _api.LoginAdminAsync();

    private static async Task<HttpResponseMessage> OpenAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    [Fact]
    public async Task ClusterStream_UserDeactivated_StreamEndsWithinSeconds()
    {
        var user = await _api.CreateUserAsync();
        using var http = new HttpClient { BaseAddress = system.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await OpenAsync(http, "/api/gpu/cluster/stream", user.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var timeout = new CancellationTokenSource();
        await using var events = ServerSentEvents.DataAsync(response, timeout.Token).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsync($"/api/admin/users/{user.Id}", new { is_active = false }, await AdminTokenAsync())).Status);
        var clock = Stopwatch.StartNew();

        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (await events.MoveNextAsync())
        {
            // Events sent before the check noticed are fine; the stream must end.
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"ended after {clock.Elapsed}");
    }

    [Fact]
    public async Task Streams_MoreThanThePerUserCap_AreRefusedWith429()
    {
        var user = await _api.CreateUserAsync();
        using var http = new HttpClient { BaseAddress = system.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                open.Add(await OpenAsync(http, "/api/gpu/cluster/stream", user.Token));
                Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
            }

            using var refused = await OpenAsync(http, "/api/gpu/cluster/stream", user.Token);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("RATE_LIMITED", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            open[0].Dispose();
            open.RemoveAt(0);
            var again = await Poll.UntilAsync(
                async () =>
                {
                    using var retry = await OpenAsync(http, "/api/gpu/cluster/stream", user.Token);
                    return retry.StatusCode;
                },
                status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100),
                status => $"a freed stream slot is still refused: {status}");

            Assert.Equal(HttpStatusCode.OK, again);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task CreateTask_SameIdempotencyKeyWithAnotherBody_Is409()
    {
        var user = await _api.CreateUserAsync();
        var key = Guid.NewGuid().ToString();

        var first = await _api.SendWithHeaderAsync("/api/tasks", new { title = "a", task_type = "test" }, user.Token, "Idempotency-Key", key);
        var replay = await _api.SendWithHeaderAsync("/api/tasks", new { title = "a", task_type = "test" }, user.Token, "Idempotency-Key", key);
        var other = await _api.SendWithHeaderAsync("/api/tasks", new { title = "b", task_type = "test" }, user.Token, "Idempotency-Key", key);

        Assert.NotEqual(HttpStatusCode.Conflict, first.Status);
        Assert.Equal(first.Status, replay.Status);
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        Assert.Equal("RESOURCE_CONFLICT", other.ErrorCode);
    }

    [Fact]
    public async Task Redeem_SameIdempotencyKeyWithAnotherCode_Is409AndTheSecondCodeIsUntouched()
    {
        var admin = await AdminTokenAsync();
        var codes = (await _api.PostAsync("/api/recharge/codes", new { amount = 5.00, batch_size = 2 }, admin)).Data["codes"]!.AsArray();
        var user = await _api.CreateUserAsync();
        var key = Guid.NewGuid().ToString();

        var first = await _api.SendWithHeaderAsync("/api/recharge/redeem", new { code = codes[0]!["code"]!.GetValue<string>() }, user.Token, "Idempotency-Key", key);
        var other = await _api.SendWithHeaderAsync("/api/recharge/redeem", new { code = codes[1]!["code"]!.GetValue<string>() }, user.Token, "Idempotency-Key", key);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/recharge/redeem", new { code = codes[1]!["code"]!.GetValue<string>() }, user.Token)).Status);
    }

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/api/no-such-route")]
    [InlineData("/api/users/me")]
    [InlineData("/api/docs/")]
    [InlineData("/metrics")]
    public async Task EveryAnswer_CarriesTheSecurityHeaders(string path)
    {
        using var http = new HttpClient { BaseAddress = system.BaseAddress };

        using var response = await http.GetAsync(path);

        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiDocs_UnderTheCsp_NeedNoInlineScriptAndTheirScriptsAreServed()
    {
        using var http = new HttpClient { BaseAddress = system.BaseAddress };

        var html = await http.GetStringAsync("/api/docs/");

        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script([^>]*)>(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.NotEmpty(scripts);
        foreach (System.Text.RegularExpressions.Match script in scripts)
        {
            Assert.True(string.IsNullOrWhiteSpace(script.Groups[2].Value), "inline script: " + script.Value);
            var src = System.Text.RegularExpressions.Regex.Match(script.Groups[1].Value, "src=\"([^\"]+)\"").Groups[1].Value;
            using var asset = await http.GetAsync("/api/docs/" + src);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, src);
        }

        Assert.Contains("/openapi/v1.json", await http.GetStringAsync("/api/docs/owl-start.js"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiHost_ConfiguredSo_HidesMetricsAndServesOpenApiToAdminsOnly()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var api = system.StartExtraApi(address, new Dictionary<string, string?>
        {
            ["Owl__Http__Metrics"] = "Off",
            ["Owl__Http__OpenApi"] = "Admin",
        });
        using var client = new OwlApiClient(new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) });
        await SessionHardeningHttpTests.WaitUntilAnsweringAsync(client, api);
        using var http = new HttpClient { BaseAddress = address };

        using var metrics = await http.GetAsync("/metrics");
        using var anonymous = await http.GetAsync("/api/openapi/v1.json");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/openapi/v1.json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await client.LoginAdminAsync());
        using var asAdmin = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
    }

    [Fact]
    public void SiloPorts_ListenOnLoopbackOnly()
    {
        var listening = ListeningAddresses();

        foreach (var port in system.SiloPorts)
        {
            Assert.True(listening.TryGetValue(port, out var address), $"nothing listens on {port}");
            Assert.True(address is "0100007F" or "00000000000000000000000001000000", $"port {port} listens on {address}");
        }
    }

    /// <summary>Listening TCP sockets from /proc/net/tcp{,6}: port → local address (hex, as the kernel writes it).</summary>
    private static Dictionary<int, string> ListeningAddresses()
    {
        var result = new Dictionary<int, string>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == "0A")
                {
                    var local = fields[1].Split(':');
                    result.TryAdd(Convert.ToInt32(local[1], 16), local[0]);
                }
            }
        }

        return result;
    }
}
