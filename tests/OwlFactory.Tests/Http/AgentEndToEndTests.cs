using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

/// <summary>The real agent program, as its own process, against the real API host and silo processes.</summary>
[Collection(SystemGroup.Name)]
public sealed class AgentEndToEndTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Agent_SimulatedGpus_HeartbeatsShowInStatus_RotationLocksItOut_AndSigtermStopsIt()
    {
        var admin = await _api.LoginAdminAsync();
        var created = await _api.PostAsync("/api/gpu/servers",
            new { name = "e2e-" + Guid.NewGuid().ToString("N")[..10], host = "127.0.0.1", gpu_count = 2, max_concurrent_tasks = 2, total_memory = 160 }, admin);
        var id = created.Data["server"]!["id"]!.GetValue<string>();
        using var agent = OwlProcess.Start("Agent", "agent", new Dictionary<string, string>
        {
            ["OWL_AGENT_API_URL"] = system.BaseAddress.ToString().TrimEnd('/'),
            ["OWL_AGENT_TOKEN"] = created.Data["agent_token"]!.GetValue<string>(),
            ["OWL_AGENT_SIMULATE_GPUS"] = "2",
        });
        try
        {
            var online = await WaitForAsync(admin, id, s => s["status"]!.GetValue<string>() == "online" && s["gpu_usage"]!.AsArray().Count == 2, agent);
            Assert.All(online["gpu_usage"]!.AsArray(), g => Assert.Equal(80.0, g!["memory_total"]!.GetValue<double>()));

            Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/gpu/servers/{id}/rotate-token", null, admin)).Status);
            await WaitForAsync(admin, id, s => s["status"]!.GetValue<string>() == "offline", agent);

            var watch = Stopwatch.StartNew();
            agent.Terminate();
            Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(15)), "the agent ignored SIGTERM");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15));
            Assert.Contains("401", agent.RecentOutput, StringComparison.Ordinal);
        }
        finally
        {
            agent.Kill();
        }
    }

    private async Task<JsonNode> WaitForAsync(string token, string id, Func<JsonNode, bool> until, OwlProcess agent)
    {
        return await Poll.UntilAsync(
            async () => (await _api.GetAsync($"/api/gpu/servers/{id}/status", token)).Data, until,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200),
            status => "status: " + status.ToJsonString() + Environment.NewLine + agent.RecentOutput);
    }
}
