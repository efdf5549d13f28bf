using System.Net;
using System.Text.Json.Nodes;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>
/// An agent driven step by step by a test, over the real agent protocol: it heartbeats exactly when told, with the
/// task types and running tasks it is told, and reports task calls one by one.
/// </summary>
public sealed class ScriptedAgent(OwlApiClient api, string serverId, string token, params string[] taskTypes)
{
    public string ServerId { get; } = serverId;

    public HashSet<string> Running { get; } = [];

    public static async Task<ScriptedAgent> CreateAsync(OwlApiClient api, string adminToken, int maxConcurrentTasks, params string[] taskTypes)
    {
        var created = await api.PostAsync("/api/gpu/servers", new
        {
            name = "scripted-" + Guid.NewGuid().ToString("N")[..12],
            host = "127.0.0.1",
            gpu_count = 1,
            max_concurrent_tasks = maxConcurrentTasks,
            total_memory = 80.0,
        }, adminToken);
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        return new ScriptedAgent(api, created.Data["server"]!["id"]!.GetValue<string>(), created.Data["agent_token"]!.GetValue<string>(), taskTypes);
    }

    /// <summary>One heartbeat; answers its data (assignments, cancel).</summary>
    public async Task<JsonNode> HeartbeatAsync(int wait = 0)
    {
        var call = await api.PostAsync($"/api/agent/heartbeat?wait={wait}", new
        {
            agent_version = "scripted",
            task_types = taskTypes,
            cpu_usage = 10.0,
            memory_usage = 20.0,
            gpus = new[] { new { gpu_id = 0, name = "Scripted GPU", usage = 50.0, memory_used = 1.0, memory_total = 80.0, temperature = 50 } },
            running_tasks = Running.Select(id => new { task_id = id, progress = 0.0 }).ToArray(),
        }, token);
        Assert.True(call.Status == HttpStatusCode.OK, call.ToString());
        return call.Data;
    }

    /// <summary>Heartbeats until an assignment arrives (at most <paramref name="seconds"/>); answers its task ids in order.</summary>
    public async Task<List<string>> WaitForAssignmentsAsync(double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var data = await HeartbeatAsync(wait: 1);
            var ids = data["assignments"]!.AsArray().Select(a => a!["task_id"]!.GetValue<string>()).ToList();
            if (ids.Count > 0)
            {
                return ids;
            }
        }

        return [];
    }

    public async Task<List<string>> CancelListAsync() =>
        [.. (await HeartbeatAsync())["cancel"]!.AsArray().Select(c => c!.GetValue<string>())];

    public async Task<ApiCall> StartAsync(string taskId)
    {
        var call = await TaskCallAsync(taskId, "start", null);
        if (call.Status == HttpStatusCode.OK)
        {
            Running.Add(taskId);
        }

        return call;
    }

    public Task<ApiCall> ProgressAsync(string taskId, double progress) => TaskCallAsync(taskId, "progress", new { progress });

    public Task<ApiCall> LogsAsync(string taskId, params string[] messages)
        => TaskCallAsync(taskId, "logs", new { lines = messages.Select(m => new { ts = DateTime.UtcNow, level = "INFO", message = m }).ToArray() });

    public Task<ApiCall> CompleteAsync(string taskId, object? result = null) => TaskCallAsync(taskId, "complete", new { result = result ?? new { } });

    public Task<ApiCall> FailAsync(string taskId, string error) => TaskCallAsync(taskId, "fail", new { error_message = error });

    private async Task<ApiCall> TaskCallAsync(string taskId, string action, object? body)
    {
        var call = await api.PostAsync($"/api/agent/tasks/{taskId}/{action}", body, token);
        if (action is "complete" or "fail" && call.Status == HttpStatusCode.OK)
        {
            Running.Remove(taskId);
        }

        return call;
    }
}
