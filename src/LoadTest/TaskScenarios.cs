using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HdrHistogram;

namespace OwlFactory.LoadTest;

/// <summary>
/// The task scenarios: submissions per second, and tasks run end to end by simulated agents that start and complete
/// each assignment at once (so the platform, not the work, is measured), with the dispatch latency from a freed slot
/// to the agent holding its next task. Both lift max_concurrent_tasks_per_user to its maximum (1000) for the run and put it back after.
/// </summary>
internal sealed class TaskScenarios(OwlApi api, HttpClient admin)
{
    private static readonly string[] TestOnly = ["test"];

    /// <summary>POST /api/tasks from <paramref name="clients"/> accounts, funded, of a type no simulated agent runs.</summary>
    public async Task SubmitAsync(int clients, TimeSpan duration)
    {
        var users = await FundedUsersAsync(clients);
        await WithRaisedLimitAsync(async () =>
        {
            (await new LoadRun("POST /api/tasks", clients, duration).RunAsync((worker, ct) => SubmitOneAsync(users[worker], "data_processing", ct))).Print();
        });
        await CancelPendingAsync(users);
    }

    /// <summary>
    /// Producers keep the queue full of "test" tasks while <paramref name="servers"/> simulated agents (2 slots each)
    /// long-poll, start and complete everything they are given, one slot's task beside the other's. The producers keep
    /// at most <paramref name="backlog"/> tasks submitted and not yet completed, so the queue never runs dry and the
    /// machine's CPU goes to running tasks, not to piling up a queue that outlives the run. The servers are the same
    /// from run to run (<c>e2e-01</c>…, their tokens rotated), so repeated runs measure the same fleet instead of a
    /// fleet that grows by <paramref name="servers"/> each time.
    /// </summary>
    public async Task RunEndToEndAsync(int clients, int servers, int backlog, TimeSpan duration,
        Func<int, string, Task<List<(string Name, string Token)>>> registerServers)
    {
        var users = await FundedUsersAsync(clients);
        var agents = (await registerServers(servers, "e2e-")).Select(s =>
        {
            var http = api.NewClient(connections: 2);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", s.Token);
            return http;
        }).ToArray();
        await WithRaisedLimitAsync(async () =>
        {
            var dispatch = new LongHistogram(TimeStamp.Minutes(1), 3);
            var completed = 0L;
            using var room = new SemaphoreSlim(backlog);
            using var stop = new CancellationTokenSource(duration);
            var clock = Stopwatch.StartNew();
            var agentLoops = agents.Select(agent => Task.Run(async () =>
            {
                var local = new LongHistogram(TimeStamp.Minutes(1), 3);
                long? freedAt = null;
                while (!stop.IsCancellationRequested)
                {
                    JsonNode beat;
                    try
                    {
                        beat = await HeartbeatAsync(agent, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    var received = Stopwatch.GetTimestamp();
                    var assignments = beat["assignments"]!.AsArray().Select(a => a!["task_id"]!.GetValue<string>()).ToList();
                    if (assignments.Count == 0)
                    {
                        continue;
                    }

                    if (freedAt is { } freed)
                    {
                        local.RecordValue(received - freed);
                    }

                    await Task.WhenAll(assignments.Select(async id =>
                    {
                        (await agent.PostAsync($"/api/agent/tasks/{id}/start", null, CancellationToken.None)).EnsureSuccessStatusCode();
                        (await agent.PostAsJsonAsync($"/api/agent/tasks/{id}/complete", new { result = new { ok = true } }, CancellationToken.None)).EnsureSuccessStatusCode();
                        Interlocked.Increment(ref completed);
                        room.Release();
                    }));

                    freedAt = Stopwatch.GetTimestamp();
                }

                lock (dispatch)
                {
                    dispatch.Add(local);
                }
            })).ToArray();
            var producers = new LoadRun("POST /api/tasks (while agents run them)", clients, duration).RunAsync(async (worker, ct) =>
            {
                var outcome = await SubmitOneAsync(users[worker], "test", ct);
                if (outcome != "201")
                {
                    room.Release();
                }

                return outcome;
            }, room.WaitAsync);
            var submitted = await producers;
            await Task.WhenAll(agentLoops);
            clock.Stop();

            submitted.Print();
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"tasks run end to end: {completed} in {clock.Elapsed.TotalSeconds:0.0} s = {completed / clock.Elapsed.TotalSeconds:0} tasks/s on {servers} servers × 2 slots"));
            double Ms(double p) => dispatch.GetValueAtPercentile(p) * 1000.0 / Stopwatch.Frequency;
            Console.WriteLine(string.Create(c, $"dispatch latency (slot freed -> agent holds its next task): {dispatch.TotalCount} samples, p50 {Ms(50):0.0} ms  p99 {Ms(99):0.0} ms  max {Ms(100):0.0} ms"));
        });
        await CancelPendingAsync(users);
    }

    private static async Task<JsonNode> HeartbeatAsync(HttpClient agent, CancellationToken ct)
    {
        using var response = await agent.PostAsJsonAsync("/api/agent/heartbeat?wait=5", new
        {
            agent_version = "load",
            task_types = TestOnly,
            cpu_usage = 10.0,
            memory_usage = 20.0,
            gpus = new[] { new { gpu_id = 0, name = "Simulated H100", usage = 50.0, memory_used = 20.0, memory_total = 80.0, temperature = 60 } },
            running_tasks = Array.Empty<object>(),
        }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>(ct))!["data"]!;
    }

    private static async Task<string?> SubmitOneAsync(HttpClient user, string taskType, CancellationToken ct)
    {
        using var response = await user.PostAsJsonAsync("/api/tasks", new { title = "load", task_type = taskType, priority = 1 + Random.Shared.Next(5) }, ct);
        return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    }

    private async Task<HttpClient[]> FundedUsersAsync(int count)
    {
        var users = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => api.NewUserClientAsync()));
        foreach (var user in users)
        {
            var me = (await user.GetFromJsonAsync<JsonNode>("/api/users/me"))!["data"]!;
            (await admin.PutAsJsonAsync($"/api/admin/users/{me["id"]!.GetValue<string>()}", new { balance = 1_000_000 })).EnsureSuccessStatusCode();
        }

        return users;
    }

    private async Task WithRaisedLimitAsync(Func<Task> run)
    {
        var before = (await admin.GetFromJsonAsync<JsonNode>("/api/admin/config"))!["data"]!["max_concurrent_tasks_per_user"]!.GetValue<int>();
        (await admin.PutAsJsonAsync("/api/admin/config", new { max_concurrent_tasks_per_user = 1000 })).EnsureSuccessStatusCode();
        await Task.Delay(500);
        try
        {
            await run();
        }
        finally
        {
            (await admin.PutAsJsonAsync("/api/admin/config", new { max_concurrent_tasks_per_user = before })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Cancels what the run left queued, so it is not dispatched to agents later.</summary>
    private static async Task CancelPendingAsync(HttpClient[] users)
    {
        var cancelled = 0;
        await Parallel.ForEachAsync(users, async (user, ct) =>
        {
            while (true)
            {
                var page = (await user.GetFromJsonAsync<JsonNode>("/api/tasks?status=pending&page_size=100", ct))!["data"]!["items"]!.AsArray();
                if (page.Count == 0)
                {
                    return;
                }

                foreach (var task in page)
                {
                    await user.PostAsync($"/api/tasks/{task!["id"]!.GetValue<string>()}/cancel", null, ct);
                    Interlocked.Increment(ref cancelled);
                }
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cleanup: cancelled {cancelled} queued task(s)"));
    }
}
