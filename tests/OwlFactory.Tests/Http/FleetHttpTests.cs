using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Http;

[Collection(SystemGroup.Name)]
public sealed class FleetHttpTests(SystemFixture system) : IDisposable
{
    private readonly OwlApiClient _api = system.CreateClient();

    public void Dispose() => _api.Dispose();

    private Task<string> AdminTokenAsync() => _api.LoginAdminAsync();

    private async Task<(string Id, string Token)> CreateServerAsync(int maxConcurrentTasks = 2, string? name = null)
    {
        var call = await _api.PostAsync("/api/gpu/servers", new
        {
            name = name ?? "gpu-" + Guid.NewGuid().ToString("N")[..10],
            host = "127.0.0.1",
            gpu_count = 2,
            max_concurrent_tasks = maxConcurrentTasks,
            total_memory = 160.0,
            description = "test box",
        }, await AdminTokenAsync());
        Assert.True(call.Status == HttpStatusCode.Created, call.ToString());
        return (call.Data["server"]!["id"]!.GetValue<string>(), call.Data["agent_token"]!.GetValue<string>());
    }

    private static object Heartbeat(double cpu = 45.2, int runningTasks = 0) => new
    {
        agent_version = "1.0.0",
        task_types = new[] { "test", "video_analysis" },
        cpu_usage = cpu,
        memory_usage = 68.3,
        gpus = new[]
        {
            new { gpu_id = 0, name = "NVIDIA H100", usage = 85.5, memory_used = 10.2, memory_total = 80.0, temperature = 61 },
            new { gpu_id = 1, name = "NVIDIA H100", usage = 92.1, memory_used = 11.8, memory_total = 80.0, temperature = 64 },
        },
        running_tasks = Enumerable.Range(0, runningTasks).Select(_ => new { task_id = Guid.NewGuid(), progress = 45.5 }).ToArray(),
    };

    private async Task<JsonNode> WaitForStatusAsync(string id, Func<JsonNode, bool> until, double seconds = 10)
    {
        var token = await AdminTokenAsync();
        return await Poll.UntilAsync(
            async () => (await _api.GetAsync($"/api/gpu/servers/{id}/status", token)).Data, until,
            TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(50),
            status => "status never became what was expected: " + status.ToJsonString());
    }

    [Fact]
    public async Task CreateServer_Admin_ShowsTheTokenOnceAndListsTheServer()
    {
        var (id, token) = await CreateServerAsync();
        var user = await _api.CreateUserAsync();

        var list = await _api.GetAsync("/api/gpu/servers", user.Token);
        var detail = await _api.GetAsync($"/api/gpu/servers/{id}", user.Token);

        Assert.StartsWith("owlagent_", token, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var listed = list.Data.AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("offline", listed["status"]!.GetValue<string>());
        Assert.Equal(2, listed["max_concurrent_tasks"]!.GetValue<int>());
        Assert.Equal(160m, listed["total_memory"]!.GetValue<decimal>());
        Assert.DoesNotContain(token, list.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.Null(detail.Data["agent_token"]);
    }

    [Fact]
    public async Task CreateServer_NameTakenInAnotherCase_Is409_NonAdminIs403_BadInputIs422()
    {
        var name = "dup-" + Guid.NewGuid().ToString("N")[..8];
        await CreateServerAsync(name: name);
        var admin = await AdminTokenAsync();
        var user = await _api.CreateUserAsync();

        var duplicate = await _api.PostAsync("/api/gpu/servers", new { name = name.ToUpperInvariant(), host = "h" }, admin);
        var asUser = await _api.PostAsync("/api/gpu/servers", new { name = "x", host = "h" }, user.Token);
        var invalid = await _api.PostAsync("/api/gpu/servers", new { name = "y", host = "h", max_concurrent_tasks = 0 }, admin);

        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal(HttpStatusCode.Forbidden, asUser.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Status);
        Assert.NotNull(invalid.Body["details"]!["field_errors"]!["max_concurrent_tasks"]);
    }

    [Fact]
    public async Task Heartbeat_ShowsUpInStatusWithinASecond()
    {
        var (id, token) = await CreateServerAsync();

        var watch = Stopwatch.StartNew();
        var beat = await _api.PostAsync("/api/agent/heartbeat", Heartbeat(cpu: 33.3), token);
        var status = await WaitForStatusAsync(id, s => s["cpu_usage"]!.GetValue<double>() == 33.3);
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, beat.Status);
        Assert.Equal(1, beat.Data["heartbeat_interval_seconds"]!.GetValue<int>());
        Assert.Empty(beat.Data["assignments"]!.AsArray());
        Assert.Empty(beat.Data["cancel"]!.AsArray());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.Equal("online", status["status"]!.GetValue<string>());
        Assert.Equal(id, status["server_id"]!.GetValue<string>());
        var gpus = status["gpu_usage"]!.AsArray();
        Assert.Equal(2, gpus.Count);
        Assert.Equal(85.5, gpus[0]!["usage"]!.GetValue<double>());
        Assert.Equal(10.2, gpus[0]!["memory_used"]!.GetValue<double>());
        Assert.Equal(80.0, gpus[0]!["memory_total"]!.GetValue<double>());
    }

    [Fact]
    public async Task Tokens_RotatedTokenIs401_UserTokenCannotActAsAgent_AgentTokenCannotActAsUser()
    {
        var (id, oldToken) = await CreateServerAsync();
        var user = await _api.CreateUserAsync();
        var rotated = await _api.PostAsync($"/api/gpu/servers/{id}/rotate-token", null, await AdminTokenAsync());
        var newToken = rotated.Data["agent_token"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/agent/heartbeat", Heartbeat(), oldToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/agent/heartbeat", Heartbeat(), newToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/agent/heartbeat", Heartbeat(), user.Token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/agent/heartbeat", Heartbeat(), null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/users/me", newToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/gpu/servers", newToken)).Status);
    }

    [Fact]
    public async Task Heartbeats_Stop_ServerGoesOfflineAfterTheTimeout_AndComesBackOnTheNextOne()
    {
        var (id, token) = await CreateServerAsync();
        await _api.PostAsync("/api/agent/heartbeat", Heartbeat(), token);
        await WaitForStatusAsync(id, s => s["status"]!.GetValue<string>() == "online");

        var offline = Stopwatch.StartNew();
        await WaitForStatusAsync(id, s => s["status"]!.GetValue<string>() == "offline", seconds: 10);
        offline.Stop();
        await _api.PostAsync("/api/agent/heartbeat", Heartbeat(), token);
        await WaitForStatusAsync(id, s => s["status"]!.GetValue<string>() == "online");

        Assert.True(offline.Elapsed >= TimeSpan.FromSeconds(1.5), $"offline after only {offline.Elapsed}");
    }

    [Fact]
    public async Task Heartbeats_OneLateBeat_ChangesNothing()
    {
        var (id, token) = await CreateServerAsync();
        await _api.PostAsync("/api/agent/heartbeat", Heartbeat(), token);
        await WaitForStatusAsync(id, s => s["status"]!.GetValue<string>() == "online");
        var admin = await AdminTokenAsync();

        // Interval 1 s, timeout 3 s: a beat 2 s late makes the server a suspect, nothing more.
        var seen = new HashSet<string>();
        var gap = Stopwatch.StartNew();
        while (gap.Elapsed < TimeSpan.FromSeconds(2))
        {
            seen.Add((await _api.GetAsync($"/api/gpu/servers/{id}/status", admin)).Data["status"]!.GetValue<string>());
            await Task.Delay(100);
        }

        await _api.PostAsync("/api/agent/heartbeat", Heartbeat(), token);

        Assert.Equal(["online"], seen);
        Assert.Equal("online", (await WaitForStatusAsync(id, _ => true))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteServer_Idle_RemovesItEverywhere()
    {
        var (id, token) = await CreateServerAsync();
        var admin = await AdminTokenAsync();

        var delete = await _api.SendAsync(HttpMethod.Delete, $"/api/gpu/servers/{id}", null, admin);

        Assert.Equal(HttpStatusCode.OK, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/gpu/servers/{id}", admin)).Status);
        Assert.DoesNotContain(id, (await _api.GetAsync("/api/gpu/servers", admin)).Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/agent/heartbeat", Heartbeat(), token)).Status);
    }

    [Fact]
    public async Task History_ThreeBeats_ReturnsThemOldestFirst()
    {
        var (id, token) = await CreateServerAsync();
        foreach (var cpu in new[] { 10.0, 20.0, 30.0 })
        {
            await _api.PostAsync("/api/agent/heartbeat", Heartbeat(cpu), token);
            await WaitForStatusAsync(id, s => s["cpu_usage"]!.GetValue<double>() == cpu);
        }

        var history = await _api.GetAsync($"/api/gpu/servers/{id}/history?minutes=5", await AdminTokenAsync());

        Assert.Equal(HttpStatusCode.OK, history.Status);
        Assert.Equal([10.0, 20.0, 30.0], history.Data.AsArray().Select(p => p!["cpu_usage"]!.GetValue<double>()).ToArray());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.GetAsync($"/api/gpu/servers/{id}/history?minutes=61", await AdminTokenAsync())).Status);
    }

    [Fact]
    public async Task Overview_AgreesWithTheServerList()
    {
        var (_, token) = await CreateServerAsync();
        await _api.PostAsync("/api/agent/heartbeat", Heartbeat(runningTasks: 1), token);
        var user = await _api.CreateUserAsync();
        await Task.Delay(300);

        // Other tests' servers change status concurrently: compare a list and an overview taken with nothing in between.
        JsonNode overview = null!;
        JsonArray servers = null!;
        long queuedBefore = 0;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            servers = (await _api.GetAsync("/api/gpu/servers", user.Token)).Data.AsArray();
            queuedBefore = await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM task_queue");
            overview = (await _api.GetAsync("/api/gpu/cluster/overview", user.Token)).Data;
            var again = (await _api.GetAsync("/api/gpu/servers", user.Token)).Data.AsArray();
            if (Shape(again) == Shape(servers))
            {
                break;
            }
        }

        Assert.Equal(servers.Count, overview["total_servers"]!.GetValue<int>());
        Assert.Equal(servers.Count(s => s!["status"]!.GetValue<string>() is "online" or "busy"), overview["online_servers"]!.GetValue<int>());
        Assert.Equal(servers.Count(s => s!["status"]!.GetValue<string>() == "offline"), overview["offline_servers"]!.GetValue<int>());
        Assert.Equal(servers.Sum(s => s!["current_tasks"]!.GetValue<int>()), overview["total_running_tasks"]!.GetValue<int>());
        Assert.True(overview["total_gpus"]!.GetValue<int>() >= overview["busy_gpus"]!.GetValue<int>() + overview["idle_gpus"]!.GetValue<int>());
        // Tests in other collections queue tasks too: the figure is the queue's length between two reads of it.
        var queuedAfter = await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM task_queue");
        Assert.InRange(overview["queue_length"]!.GetValue<long>(), Math.Min(queuedBefore, queuedAfter), Math.Max(queuedBefore, queuedAfter));
    }

    private static string Shape(JsonArray servers)
        => string.Join(';', servers.Select(s => $"{s!["id"]}:{s["status"]}:{s["current_tasks"]}"));

    [Fact]
    public async Task Heartbeat_InvalidNumbersOrWait_Returns422()
    {
        var (_, token) = await CreateServerAsync();

        var badCpu = await _api.PostAsync("/api/agent/heartbeat", new { cpu_usage = 150, memory_usage = 1 }, token);
        var badGpu = await _api.PostAsync("/api/agent/heartbeat", new { gpus = new[] { new { gpu_id = 0, usage = 101.0, memory_used = 1.0, memory_total = 2.0 } } }, token);
        var badWait = await _api.PostAsync("/api/agent/heartbeat?wait=31", Heartbeat(), token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, badCpu.Status);
        Assert.NotNull(badCpu.Body["details"]!["field_errors"]!["cpu_usage"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badGpu.Status);
        Assert.NotNull(badGpu.Body["details"]!["field_errors"]!["gpus[0].usage"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badWait.Status);
    }

    [Fact]
    public async Task TelemetryStream_SseClientReceivesTheNextHeartbeat()
    {
        var (id, token) = await CreateServerAsync();
        using var http = new HttpClient { BaseAddress = system.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/gpu/servers/{id}/telemetry/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync());
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.Content.Headers.ContentType!.MediaType != "text/event-stream")
        {
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await _api.PostAsync("/api/agent/heartbeat", Heartbeat(cpu: 77.7), token);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var sawBeat = false;
        await foreach (var data in ServerSentEvents.DataAsync(response, timeout.Token))
        {
            if (data.Contains("\"cpu_usage\":77.7", StringComparison.Ordinal))
            {
                sawBeat = true;
                break;
            }
        }

        Assert.True(sawBeat);
    }
}
