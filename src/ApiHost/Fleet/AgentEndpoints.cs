using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Fleet;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.ApiHost.Fleet;

/// <summary>The endpoints of agent-protocol.md, open only to agent tokens.</summary>
public static class AgentEndpoints
{
    public static RouteGroupBuilder MapAgentEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/agent").WithTags("Agent protocol")
            .RequireAuthorization(new AuthorizationPolicyBuilder(AgentAuthenticationHandler.SchemeName)
                .RequireClaim(AgentAuthenticationHandler.ServerIdClaim).Build());
        group.MapPost("/heartbeat", HeartbeatAsync).WithMetadata(new TokenCheckedByEndpoint())
            .WithSummary("Telemetry in, work out; ?wait=N (≤ 30) long-polls for work");
        var task = group.MapGroup("/tasks/{taskId:guid}");
        task.MapPost("/start", (Guid taskId, IClusterClient client, ClaimsPrincipal agent)
            => ReportAsync(taskId, agent, client, (g, s) => g.AgentStartAsync(s))).WithSummary("The agent started the task: it is running");
        task.MapPost("/progress", (Guid taskId, AgentProgressRequest request, IClusterClient client, ClaimsPrincipal agent)
            => ReportAsync(taskId, agent, client, (g, s) => g.AgentProgressAsync(s, request.Progress))).WithSummary("Progress 0-100, never going back");
        task.MapPost("/logs", (Guid taskId, AgentLogsRequest request, IClusterClient client, TimeProvider clock, ClaimsPrincipal agent)
            => ReportAsync(taskId, agent, client, (g, s) => g.AgentLogsAsync(s, [.. request.Lines!.Select(l => new TaskLogLine(
                l.Ts is { } ts ? ts.ToUniversalTime() : clock.GetUtcNow().UtcDateTime, (l.Level ?? "INFO").ToUpperInvariant(), l.Message!))])))
            .WithSummary("Lines appended in order to the task's log (at most 1000 a call)");
        task.MapPost("/complete", (Guid taskId, AgentCompleteRequest request, IClusterClient client, ClaimsPrincipal agent)
            => ReportAsync(taskId, agent, client, (g, s) => g.AgentCompleteAsync(s, request.Result?.ToJsonString())))
            .WithSummary("The task completed; its cost is charged");
        task.MapPost("/fail", (Guid taskId, AgentFailRequest request, IClusterClient client, ClaimsPrincipal agent)
            => ReportAsync(taskId, agent, client, (g, s) => g.AgentFailAsync(s, request.ErrorMessage!)))
            .WithSummary("The task failed; the time it ran is charged");
        return group;
    }

    /// <summary>One of the agent's task calls: 404 for a task not assigned to its server, 409 for one whose state forbids it.</summary>
    private static async Task<Results<JsonHttpResult<ApiEnvelope<AgentTaskResponse>>, JsonHttpResult<ApiErrorEnvelope>>> ReportAsync(
        Guid taskId, ClaimsPrincipal agent, IClusterClient client, Func<ITaskGrain, Guid, Task<TaskOutcome>> call)
    {
        var serverId = Guid.Parse(agent.FindFirstValue(AgentAuthenticationHandler.ServerIdClaim)!);
        var grain = client.Reference<ITaskGrain>(taskId);
        var outcome = await call(grain, serverId);
        switch (outcome)
        {
            case TaskOutcome.Ok:
                return ApiResults.Ok(new AgentTaskResponse(taskId));
            case TaskOutcome.InvalidState:
                var status = (await grain.GetAsync())?.Status;
                return ApiResults.Error(StatusCodes.Status409Conflict, ErrorCodes.InvalidState, $"The task is {status}; stop it", new { status });
            default:
                return ApiResults.NotFound("Task");
        }
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<HeartbeatResponse>>, JsonHttpResult<ApiErrorEnvelope>>> HeartbeatAsync(
        HeartbeatRequest request, int? wait, IClusterClient client, TimeProvider clock, ClaimsPrincipal agent)
    {
        if (wait is < 0 or > 30)
        {
            return ApiResults.Validation("wait", "must be between 0 and 30");
        }

        var serverId = Guid.Parse(agent.FindFirstValue(AgentAuthenticationHandler.ServerIdClaim)!);
        OwlMetrics.Heartbeats.Add(1);
        var sample = new GpuTelemetry(
            serverId,
            clock.GetUtcNow().UtcDateTime,
            request.AgentVersion ?? "",
            [.. request.TaskTypes ?? []],
            request.CpuUsage,
            request.MemoryUsage,
            [.. (request.Gpus ?? []).Select(g => new GpuSample(g.GpuId, g.Name ?? $"GPU {g.GpuId}", g.Usage, g.MemoryUsed, g.MemoryTotal, g.Temperature))],
            [.. (request.RunningTasks ?? []).Select(t => new RunningTaskProgress(t.TaskId, t.Progress))]);
        var reply = await client.Reference<IGpuServerGrain>(serverId).HeartbeatAsync(
            agent.FindFirstValue(AgentAuthenticationHandler.TokenHashClaim)!, sample, TimeSpan.FromSeconds(wait ?? 0));
        if (reply is null)
        {
            return ApiResults.InvalidCredentials("Unknown or rotated agent token");
        }

        return ApiResults.Ok(new HeartbeatResponse(
            reply.HeartbeatIntervalSeconds,
            [.. reply.Assignments.Select(a => new AssignmentResponse(a.TaskId, a.TaskType, a.Title,
                System.Text.Json.Nodes.JsonNode.Parse(a.ConfigJson), a.Attempt, a.TimeoutSeconds))],
            [.. reply.Cancel]));
    }
}
