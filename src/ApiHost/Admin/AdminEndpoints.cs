using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OwlFactory.ApiHost.Accounts;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.GrainInterfaces.Admin;

namespace OwlFactory.ApiHost.Admin;

public static class AdminEndpoints
{
    private static readonly string[] UnknownKey = ["is not a configuration key"];

    public static RouteGroupBuilder MapAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Administration").RequireAuthorization(OwlClaims.AdminPolicy);
        group.MapGet("/stats", async (AdminStatsQuery stats, CancellationToken cancellationToken) => ApiResults.Ok(await stats.GetAsync(cancellationToken)))
            .WithSummary("Users, tasks by status, queue, servers and revenue at a glance (admin)");
        group.MapGet("/config", GetConfigAsync).WithSummary("The live system configuration (admin)");
        group.MapPut("/config", UpdateConfigAsync).WithSummary("Change some keys of the configuration; in force everywhere within a second (admin)");
        group.MapGet("/users", ListUsersAsync).WithSummary("Accounts by role, active flag and search over email, username and full name (admin)");
        group.MapPut("/users/{id:guid}", UpdateUserAsync).WithSummary("Change an account's role, active flag, balance (as a ledger adjustment), username or full name (admin)");
        return group;
    }

    internal static async Task<JsonHttpResult<ApiEnvelope<PagedList<UserResponse>>>> ListUsersAsync(
        [AsParameters] AdminUserQuery query, UserDirectory users, CancellationToken cancellationToken)
        => ApiResults.Ok(await users.ListAsync(query, cancellationToken));

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<UserResponse>>, JsonHttpResult<ApiErrorEnvelope>>> UpdateUserAsync(
        Guid id, AdminUpdateUserRequest request, IClusterClient client, SessionCache sessions, RequestOperation operation, ClaimsPrincipal user)
    {
        var change = new AdminUserChange(request.Role, request.IsActive, request.Balance, request.Username, request.FullName);
        // A role or active flag change revokes the account's tokens: answered once the hosts have dropped its session.
        var result = await sessions.RevokeAsync(id,
            () => client.Reference<IUserAdministrationGrain>(0).UpdateUserAsync(user.GetUserId(), id, change, operation.Id("admin-update")),
            r => r.Status == AccountStatus.Ok && (request.Role is not null || request.IsActive is not null));
        return result.Status switch
        {
            AccountStatus.Ok => ApiResults.Ok(UserResponse.From(result.Profile!), "updated"),
            AccountStatus.Forbidden => ApiResults.AccessDenied("Only a super_admin changes roles or edits an admin"),
            AccountStatus.SelfChangeRefused => ApiResults.Error(StatusCodes.Status409Conflict, ErrorCodes.InvalidState, "You cannot deactivate or demote yourself"),
            AccountStatus.LastSuperAdmin => ApiResults.Error(StatusCodes.Status409Conflict, ErrorCodes.InvalidState, "The last active super_admin stays"),
            AccountStatus.BalanceBelowHeld => ApiResults.Error(StatusCodes.Status409Conflict, ErrorCodes.InvalidState, "The balance cannot go below what running tasks hold"),
            AccountStatus.UsernameTaken => ApiResults.Conflict("Username is already taken", "username"),
            _ => ApiResults.NotFound("User"),
        };
    }

    internal static async Task<JsonHttpResult<ApiEnvelope<SystemConfig>>> GetConfigAsync(IClusterClient client)
        => ApiResults.Ok(await client.Reference<ISystemConfigGrain>(0).GetAsync());

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<SystemConfig>>, JsonHttpResult<ApiErrorEnvelope>>> UpdateConfigAsync(
        JsonObject body, IClusterClient client, IOptions<JsonOptions> json, ClaimsPrincipal user)
    {
        if (body.Count == 0)
        {
            return ApiResults.Validation("body", "must set at least one configuration key");
        }

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
        return ApiResults.Ok(await client.Reference<ISystemConfigGrain>(0).UpdateAsync(change, user.GetUserId()), "updated");
    }
}
