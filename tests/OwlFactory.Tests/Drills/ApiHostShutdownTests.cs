using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Drills;

/// <summary>SIGTERM to an API host: readiness turns 503 at once, while requests are still served for the drain time.</summary>
[Collection(DrillGroup.Name)]
public sealed class ApiHostShutdownTests(ThreeSiloSystemFixture system)
{
    [Fact]
    public async Task ApiHost_Terminated_SaysNotReadyFirst_AndStillServesDuringTheDrain()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var host = system.StartExtraApi(address);
        using var api = new OwlApiClient(new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) });
        var user = await WaitForUserAsync(api);

        host.Terminate();
        await Task.Delay(300);
        var health = await api.GetAsync("/api/health");
        var me = await api.GetAsync("/api/users/me", user.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal("stopping", health.Body["details"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the API host did not stop");
        Assert.Equal(0, host.ExitCode);
    }

    private static async Task<TestUser> WaitForUserAsync(OwlApiClient api)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                if ((await api.GetAsync("/api/health")).Status == HttpStatusCode.OK)
                {
                    return await api.CreateUserAsync();
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException("The extra API host did not become ready in 60 s.");
    }
}
