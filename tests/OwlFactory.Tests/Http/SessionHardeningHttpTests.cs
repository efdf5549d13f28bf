using System.Net;
using System.Text.RegularExpressions;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>Issue 11's session findings: forged roles, the built-in key, the dashboard cookie, bogus agent tokens, throttles under a burst.</summary>
[Collection(SystemGroup.Name)]
public sealed partial class SessionHardeningHttpTests(SystemFixture system) : IDisposable
{
    // The key every Development API host used to fall back to; it was in the repository.
    private const string FormerBuiltInKey = "owl-factory-development-signing-key-never-use-in-production";

    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Token_WhoseRoleIsNotTheAccounts_Is401()
    {
        var user = await _api.CreateUserAsync();
        var forged = TestTokens.Sign(system.SigningKey, user.Id, "super_admin");

        var stats = await _api.GetAsync("/api/admin/stats", forged);
        var me = await _api.GetAsync("/api/users/me", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, stats.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, me.Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/users/me", TestTokens.Sign(system.SigningKey, user.Id, "user"))).Status);
    }

    [Fact]
    public async Task Token_PastItsExpiry_IsRefused_ThoughItWasAcceptedAndRememberedBefore()
    {
        var user = await _api.CreateUserAsync();
        // Expired 20 s ago: inside the 30 s of clock skew an API host allows, so it is accepted, and its check is
        // remembered by the host (ValidatedTokens). Past the skew, it must be refused all the same.
        var expires = DateTimeOffset.UtcNow.AddSeconds(-20);
        var token = TestTokens.Sign(system.SigningKey, user.Id, "user", expires: expires);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/users/me", token)).Status);

        var pastSkew = expires.AddSeconds(31) - DateTimeOffset.UtcNow;
        if (pastSkew > TimeSpan.Zero)
        {
            await Task.Delay(pastSkew);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/users/me", token)).Status);
    }

    [Fact]
    public async Task ApiHost_WithNoKeyConfigured_RefusesTokensSignedWithTheFormerBuiltInKey()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var api = system.StartExtraApi(address, new Dictionary<string, string?> { ["Owl__Auth__SigningKey"] = null });
        using var client = new OwlApiClient(new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) });
        await WaitUntilAnsweringAsync(client, api);
        var admin = Guid.Parse((await client.PostAsync("/api/auth/login", new { email = BootstrapAdmin.Email, password = BootstrapAdmin.Password })).Data["user"]!["id"]!.GetValue<string>());

        var call = await client.GetAsync("/api/admin/stats", TestTokens.Sign(FormerBuiltInKey, admin, "super_admin"));

        Assert.Equal(HttpStatusCode.Unauthorized, call.Status);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("garbage")]
    public async Task Dashboard_QueryTokenThatIsNotAValidAdmins_GetsNoCookie(string kind)
    {
        var token = kind == "user" ? (await _api.CreateUserAsync()).Token : "not.a.token";
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = system.BaseAddress };

        using var response = await http.GetAsync($"/api/dashboard/?access_token={token}");

        Assert.False(response.Headers.Contains("Set-Cookie"), string.Join(" ", response.Headers.Select(h => h.Key)));
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, response.StatusCode.ToString());
    }

    [Fact]
    public async Task Dashboard_QueryTokenOfAnAdmin_GetsTheCookie()
    {
        var admin = await _api.LoginAdminAsync();
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = system.BaseAddress };

        using var response = await http.GetAsync($"/api/dashboard/?access_token={admin}");

        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var cookies), response.StatusCode.ToString());
        Assert.Contains(cookies, c => c.StartsWith("owl_dashboard=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AgentCall_BogusToken_Is401WithoutAskingAnyGrain()
    {
        var bogus = $"owlagent_{Guid.NewGuid():N}_{new string('x', 43)}";
        var before = await RefusedAsync("forged");
        var unknownBefore = await RefusedAsync("unknown");

        var call = await _api.PostAsync("/api/agent/heartbeat", new { cpu_usage = 1, memory_usage = 1 }, bogus);

        Assert.Equal(HttpStatusCode.Unauthorized, call.Status);
        Assert.Equal("INVALID_CREDENTIALS", call.ErrorCode);
        // The scrape answer is cached for a moment; wait for the count to move.
        await Poll.UntilAsync(() => RefusedAsync("forged"), refused => refused >= before + 1, TimeSpan.FromSeconds(5),
            TimeSpan.FromMilliseconds(200), refused => $"the forged count is still {refused}, was {before}");

        Assert.Equal(before + 1, await RefusedAsync("forged"));
        Assert.Equal(unknownBefore, await RefusedAsync("unknown"));
    }

    [Fact]
    public async Task Login_FifteenParallelWrongPasswords_AtMostTheLimitAreTried()
    {
        var user = await _api.CreateUserAsync();

        var calls = await Task.WhenAll(Enumerable.Range(0, 15)
            .Select(i => _api.PostAsync("/api/auth/login", new { email = user.Email, password = $"wrong-{i}" })));

        Assert.True(calls.Count(c => c.Status == HttpStatusCode.Unauthorized) <= 10, string.Join(" ", calls.Select(c => (int)c.Status)));
        Assert.Equal(15, calls.Count(c => c.Status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await _api.PostAsync("/api/auth/login", new { email = user.Email, password = user.Password })).Status);
    }

    [Fact]
    public async Task Redeem_FifteenParallelWrongCodes_AtMostTheLimitAreTried()
    {
        var user = await _api.CreateUserAsync();

        var calls = await Task.WhenAll(Enumerable.Range(0, 15)
            .Select(i => _api.PostAsync("/api/recharge/redeem", new { code = $"NOPE-{i:D4}-XXXX-YYYY" }, user.Token)));

        Assert.True(calls.Count(c => c.ErrorCode == "INVALID_RECHARGE_CODE") <= 10, string.Join(" ", calls.Select(c => (int)c.Status)));
        Assert.Equal(15, calls.Count(c => c.ErrorCode is "INVALID_RECHARGE_CODE" or "RATE_LIMITED"));
    }

    private async Task<double> RefusedAsync(string reason)
    {
        using var http = new HttpClient { BaseAddress = system.BaseAddress };
        var text = await http.GetStringAsync("/metrics");
        var match = Regex.Match(text, $$"""owl_agent_auth_refused_total\{[^}]*reason="{{reason}}"[^}]*\} (\S+)""");
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    internal static async Task WaitUntilAnsweringAsync(OwlApiClient client, OwlProcess process)
    {
        for (var attempt = 0; attempt < 120 && !process.HasExited; attempt++)
        {
            try
            {
                if ((await client.GetAsync("/api/health")).Status == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException("The extra API host never became ready: " + process.RecentOutput);
    }
}
