using System.Collections.Concurrent;
using System.Net;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>The dispatch queue with server grains on two silo processes: every task runs once, on one server.</summary>
[Collection(RestartGroup.Name)]
public sealed class DispatchAcrossSilosTests(TwoSiloSystemFixture system)
{
    [Fact]
    public async Task ManyServersOnTwoSilos_ClaimConcurrently_EveryTaskIsRunExactlyOnce()
    {
        using var api = system.CreateClient();
        var admin = await api.LoginAdminAsync();
        var user = await api.CreateUserAsync();
        // Eight servers: their grains spread over both silos (random placement), each long-polling in parallel.
        var agents = new List<ScriptedAgent>();
        for (var i = 0; i < 8; i++)
        {
            agents.Add(await ScriptedAgent.CreateAsync(api, admin, 2, "test"));
        }

        var submitted = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var call = await api.PostAsync("/api/tasks", new { title = $"spread {i}", task_type = "test", priority = 1 + (i % 5) }, user.Token);
            Assert.True(call.Status == HttpStatusCode.Created, call.ToString());
            submitted.Add(call.Data["id"]!.GetValue<string>());
            if (submitted.Count % 5 == 0)
            {
                // Stay within max_concurrent_tasks_per_user (5): run these before submitting more.
                await RunAllAsync(agents, submitted.Count);
            }
        }

        var byServer = new Dictionary<string, int>();
        foreach (var id in submitted)
        {
            var task = (await api.GetAsync($"/api/tasks/{id}", user.Token)).Data;
            Assert.Equal("completed", task["status"]!.GetValue<string>());
            Assert.Equal(1, task["attempt"]!.GetValue<int>());
            var server = task["gpu_server_id"]!.GetValue<string>();
            byServer[server] = byServer.GetValueOrDefault(server) + 1;
        }

        Assert.True(byServer.Count >= 2, "the work went to one server only");
        Assert.Equal(30, Ran.Count);
        Assert.Equal(30, Ran.Distinct().Count());
    }

    private ConcurrentBag<string> Ran { get; } = [];

    /// <summary>Every agent polls at once, starting and completing what it gets, until <paramref name="total"/> tasks ran.</summary>
    private async Task RunAllAsync(List<ScriptedAgent> agents, int total)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Ran.Count < total)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {Ran.Count} of {total} tasks ran");
            await Task.WhenAll(agents.Select(async agent =>
            {
                var beat = await agent.HeartbeatAsync(wait: 1);
                foreach (var id in beat["assignments"]!.AsArray().Select(a => a!["task_id"]!.GetValue<string>()))
                {
                    Assert.Equal(HttpStatusCode.OK, (await agent.StartAsync(id)).Status);
                    Assert.Equal(HttpStatusCode.OK, (await agent.CompleteAsync(id)).Status);
                    Ran.Add(id);
                }
            }));
        }
    }
}
