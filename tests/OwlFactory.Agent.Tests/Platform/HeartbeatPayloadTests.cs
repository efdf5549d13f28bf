using System.Text.Json;
using OwlFactory.Agent.Platform;
using OwlFactory.Agent.Telemetry;

namespace OwlFactory.Agent.Tests.Platform;

public sealed class HeartbeatPayloadTests
{
    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void Serialize_Heartbeat_HasTheSnakeCaseShapeOfTheProtocol()
    {
        var telemetry = new TelemetrySnapshot(
            new HostSample(45.23, 68.31),
            [
                new GpuSample(0, "NVIDIA H100 80GB HBM3", 85.5, 10.2, 79.65, 61),
                new GpuSample(1, "NVIDIA GeForce GTX 1650", null, 0.3, null, null),
            ]);
        var request = HeartbeatRequest.Create("1.0.0", ["test", "video_analysis"], telemetry, [new RunningTaskReport("task-9", 45.5)]);

        var json = JsonDocument.Parse(JsonSerializer.Serialize(request, AgentJsonContext.Default.HeartbeatRequest)).RootElement;

        Assert.Equal(["agent_version", "task_types", "cpu_usage", "memory_usage", "gpus", "running_tasks"], Names(json));
        Assert.Equal("1.0.0", json.GetProperty("agent_version").GetString());
        Assert.Equal(["test", "video_analysis"], json.GetProperty("task_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(45.2, json.GetProperty("cpu_usage").GetDouble());
        Assert.Equal(68.3, json.GetProperty("memory_usage").GetDouble());

        var gpu = json.GetProperty("gpus")[0];
        Assert.Equal(["gpu_id", "name", "usage", "memory_used", "memory_total", "temperature"], Names(gpu));
        Assert.Equal(0, gpu.GetProperty("gpu_id").GetInt32());
        Assert.Equal("NVIDIA H100 80GB HBM3", gpu.GetProperty("name").GetString());
        Assert.Equal(85.5, gpu.GetProperty("usage").GetDouble());
        Assert.Equal(10.2, gpu.GetProperty("memory_used").GetDouble());
        Assert.Equal(79.65, gpu.GetProperty("memory_total").GetDouble());
        Assert.Equal(61, gpu.GetProperty("temperature").GetInt32());

        // Readings the driver did not give go out as 0, never null.
        var odd = json.GetProperty("gpus")[1];
        Assert.Equal(0, odd.GetProperty("usage").GetDouble());
        Assert.Equal(0, odd.GetProperty("memory_total").GetDouble());
        Assert.Equal(0, odd.GetProperty("temperature").GetInt32());

        var running = json.GetProperty("running_tasks")[0];
        Assert.Equal(["task_id", "progress"], Names(running));
        Assert.Equal("task-9", running.GetProperty("task_id").GetString());
        Assert.Equal(45.5, running.GetProperty("progress").GetDouble());
    }

    [Fact]
    public void Deserialize_HeartbeatAnswer_ReadsAssignmentsAndCancels()
    {
        const string Answer = """
            {"success": true, "message": "ok", "error_code": null, "data": {
              "heartbeat_interval_seconds": 5,
              "assignments": [
                {"task_id": "a1", "task_type": "video_analysis", "title": "Cats", "config": {"video": "cat.mp4", "n": [1, 2]}, "attempt": 2, "timeout_seconds": 3600}
              ],
              "cancel": ["c1", "c2"]
            }}
            """;

        var data = JsonSerializer.Deserialize(Answer, AgentJsonContext.Default.ApiEnvelopeHeartbeatResponse)!.Data!;

        Assert.Equal(5, data.HeartbeatIntervalSeconds);
        var assignment = Assert.Single(data.Assignments!);
        Assert.Equal(("a1", "video_analysis", "Cats", 2, 3600.0), (assignment.TaskId, assignment.TaskType, assignment.Title, assignment.Attempt, assignment.TimeoutSeconds));
        Assert.Equal("""{"video": "cat.mp4", "n": [1, 2]}""", assignment.ConfigJson());
        Assert.Equal(["c1", "c2"], data.Cancel!);
    }

    [Fact]
    public void ConfigJson_NoConfig_IsEmptyObject()
    {
        var data = JsonSerializer.Deserialize(
            """{"success": true, "message": "", "data": {"assignments": [{"task_id": "a", "task_type": "test", "attempt": 1, "config": null}]}}""",
            AgentJsonContext.Default.ApiEnvelopeHeartbeatResponse)!.Data!;

        Assert.Equal("{}", data.Assignments![0].ConfigJson());
        Assert.Null(data.Cancel);
    }

    [Fact]
    public void Serialize_LogLines_UseIsoTimestampsWithZ()
    {
        var request = new LogsRequest([new TaskLogEntry(new DateTime(2024, 1, 15, 10, 45, 0, 123, DateTimeKind.Utc), "INFO", "hello")]);

        var json = JsonDocument.Parse(JsonSerializer.Serialize(request, AgentJsonContext.Default.LogsRequest)).RootElement;

        var line = json.GetProperty("lines")[0];
        Assert.Equal(["ts", "level", "message"], Names(line));
        Assert.Equal("2024-01-15T10:45:00.123Z", line.GetProperty("ts").GetString());
    }

    [Fact]
    public void Serialize_FailAndProgress_UseProtocolNames()
    {
        Assert.Equal("""{"error_message":"exit code 3"}""", JsonSerializer.Serialize(new FailRequest("exit code 3"), AgentJsonContext.Default.FailRequest));
        Assert.Equal("""{"progress":45.5}""", JsonSerializer.Serialize(new ProgressRequest(45.5), AgentJsonContext.Default.ProgressRequest));
    }
}
