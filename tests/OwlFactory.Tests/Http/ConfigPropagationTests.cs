using System.Diagnostics;
using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>A config change made through one API host is in force on every silo and through every API host within a second.</summary>
[Collection(RestartGroup.Name)]
public sealed class ConfigPropagationTests(TwoSiloSystemFixture system)
{
    [Fact]
    public async Task MaintenanceMode_SetThroughOneApiHost_IsEnforcedThroughTheOtherWithinASecond_OnBothSilos()
    {
        var second = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var extra = system.StartExtraApi(second);
        using var a = system.CreateClient();
        using var b = new OwlApiClient(new HttpClient { BaseAddress = second, Timeout = TimeSpan.FromSeconds(30) });
        var adminA = await a.LoginAdminAsync();
        var adminB = await WaitForLoginAsync(b, extra);
        // Users whose grains land on both silos (placement is random: eight make missing one silo unlikely, 1 in 128).
        var users = new List<TestUser>();
        for (var i = 0; i < 8; i++)
        {
            users.Add(await b.CreateUserAsync());
        }

        try
        {
            var set = await a.PutAsync("/api/admin/config", new { maintenance_mode = true, maintenance_message = "propagation test" }, adminA);
            Assert.Equal(HttpStatusCode.OK, set.Status);
            var watch = Stopwatch.StartNew();
            var refused = await Task.WhenAll(users.Select(u => UntilAsync(b, u, HttpStatusCode.ServiceUnavailable)));
            var inForce = watch.Elapsed;

            Assert.True(inForce < TimeSpan.FromSeconds(1), $"maintenance took {inForce.TotalMilliseconds:0} ms to reach every silo");
            Assert.All(refused, r => Assert.Equal("propagation test", r.Body["message"]!.GetValue<string>()));
            var seenByB = await b.GetAsync("/api/admin/config", adminB);
            Assert.True(seenByB.Data["maintenance_mode"]!.GetValue<bool>());
            Assert.Equal(set.Data["version"]!.GetValue<long>(), seenByB.Data["version"]!.GetValue<long>());

            Assert.Equal(HttpStatusCode.OK, (await b.PutAsync("/api/admin/config", new { maintenance_mode = false }, adminB)).Status);
            watch.Restart();
            await Task.WhenAll(users.Select(u => UntilAsync(a, u, HttpStatusCode.Created)));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"leaving maintenance took {watch.Elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            await a.PutAsync("/api/admin/config", new { maintenance_mode = false }, adminA);
        }
    }

    /// <summary>Submits (a free task type) until the answer has <paramref name="status"/>; at most 5 s.</summary>
    private static Task<ApiCall> UntilAsync(OwlApiClient api, TestUser user, HttpStatusCode status)
        => Poll.UntilAsync(
            async () =>
            {
                var call = await api.PostAsync("/api/tasks", new { title = "probe", task_type = "test" }, user.Token);
                if (call.Status == HttpStatusCode.Created)
                {
                    await api.PostAsync($"/api/tasks/{call.Data["id"]!.GetValue<string>()}/cancel", null, user.Token);
                }

                return call;
            },
            call => call.Status == status, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20), call => "still " + call);

    private static async Task<string> WaitForLoginAsync(OwlApiClient api, OwlProcess process)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var login = await api.PostAsync("/api/auth/login", new { email = BootstrapAdmin.Email, password = BootstrapAdmin.Password });
                if (login.Status == HttpStatusCode.OK)
                {
                    return login.Data["access_token"]!.GetValue<string>();
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the second API host never served a login" + Environment.NewLine + process.RecentOutput);
            await Task.Delay(250);
        }
    }
}
