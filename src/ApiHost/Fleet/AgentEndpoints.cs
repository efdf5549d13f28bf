using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Fleet;

/// <summary>The endpoints of agent-protocol.md, open only to agent tokens.</summary>
public static class AgentEndpoints
{
    public static RouteGroupBuilder MapAgentEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/agent").WithTags("Agent protocol")
            .RequireAuthorization(new AuthorizationPolicyBuilder(AgentAuthenticationHandler.SchemeName)
                .RequireClaim(AgentAuthenticationHandler.ServerIdClaim).Build());
        group.MapPost("/heartbeat", HeartbeatAsync).WithSummary("Telemetry in, work out; ?wait=N (≤ 30) long-polls for work");
        return group;
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<HeartbeatResponse>>, JsonHttpResult<ApiErrorEnvelope>>> HeartbeatAsync(
        HeartbeatRequest request, int? wait, IClusterClient client, TimeProvider clock, ClaimsPrincipal agent)
    {
        if (wait is < 0 or > 30)
        {
            return ApiResults.Validation("wait", "must be between 0 and 30");
        }

        var serverId = Guid.Parse(agent.FindFirstValue(AgentAuthenticationHandler.ServerIdClaim)!);
        var sample = new GpuTelemetry(
            serverId,
            clock.GetUtcNow().UtcDateTime,
            request.AgentVersion ?? "",
            [.. request.TaskTypes ?? []],
            request.CpuUsage,
            request.MemoryUsage,
            [.. (request.Gpus ?? []).Select(g => new GpuSample(g.GpuId, g.Name ?? $"GPU {g.GpuId}", g.Usage, g.MemoryUsed, g.MemoryTotal, g.Temperature))],
            [.. (request.RunningTasks ?? []).Select(t => new RunningTaskProgress(t.TaskId, t.Progress))]);
        await client.GetStreamProvider(OwlConstants.StreamProvider)
            .GetStream<GpuTelemetry>(StreamId.Create(FleetStreams.Telemetry, serverId))
            .OnNextAsync(sample);

        var reply = await client.GetGrain<IGpuServerGrain>(serverId).PollAsync(TimeSpan.FromSeconds(wait ?? 0));
        return ApiResults.Ok(new HeartbeatResponse(
            reply.HeartbeatIntervalSeconds,
            [.. reply.Assignments.Select(a => new AssignmentResponse(a.TaskId, a.TaskType, a.Title,
                System.Text.Json.Nodes.JsonNode.Parse(a.ConfigJson), a.Attempt, a.TimeoutSeconds))],
            [.. reply.Cancel]));
    }
}
