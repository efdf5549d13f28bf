using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.GrainInterfaces.Admin;

namespace OwlFactory.ApiHost.Admin;

public static class AdminEndpoints
{
    private static readonly string[] UnknownKey = ["is not a configuration key"];

    public static RouteGroupBuilder MapAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Administration").RequireAuthorization(OwlClaims.AdminPolicy);
        group.MapGet("/config", GetConfigAsync).WithSummary("The live system configuration (admin)");
        group.MapPut("/config", UpdateConfigAsync).WithSummary("Change some keys of the configuration; in force everywhere within a second (admin)");
        return group;
    }

    internal static async Task<JsonHttpResult<ApiEnvelope<SystemConfig>>> GetConfigAsync(IClusterClient client)
        => ApiResults.Ok(await client.GetGrain<ISystemConfigGrain>(0).GetAsync());

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<SystemConfig>>, JsonHttpResult<ApiErrorEnvelope>>> UpdateConfigAsync(
        JsonObject body, IClusterClient client, IOptions<JsonOptions> json, ClaimsPrincipal user)
    {
        var unknown = body.Select(p => p.Key).Where(k => !ConfigUpdateRequest.Keys.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            return ApiResults.Validation(unknown.ToDictionary(k => k, _ => UnknownKey));
        }

        var request = body.Deserialize<ConfigUpdateRequest>(json.Value.SerializerOptions)!;
        var errors = ValidationFilter.Validate(request);
        if (errors.Count > 0)
        {
            return ApiResults.Validation(errors);
        }

        var change = new SystemConfigChange(request.MaxConcurrentTasksPerUser, request.DefaultTaskTimeout, request.MaintenanceMode,
            request.MaintenanceMessage, request.HeartbeatTimeoutSeconds, request.TaskPrices?.ToImmutableSortedDictionary(),
            request.LogRetentionDays);
        return ApiResults.Ok(await client.GetGrain<ISystemConfigGrain>(0).UpdateAsync(change, user.GetUserId()), "updated");
    }
}
