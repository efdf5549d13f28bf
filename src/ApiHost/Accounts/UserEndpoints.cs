using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Tasks;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Accounts;

public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        group.MapGet("/me", GetMeAsync).WithSummary("The signed-in account");
        group.MapPut("/me", UpdateMeAsync).WithSummary("Change username and/or full name");
        group.MapPost("/change-password", ChangePasswordAsync).WithSummary("Change the password; earlier tokens stop working");
        group.MapGet("/stats", GetStatsAsync).WithSummary("The signed-in account's task and spending figures");
        return group;
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<UserResponse>>, JsonHttpResult<ApiErrorEnvelope>>> GetMeAsync(
        HttpContext http, IClusterClient client, SessionCache sessions, ClaimsPrincipal user)
    {
        var profile = SessionValidator.ProfileOf(http) ?? await sessions.GetProfileAsync(user.GetUserId(), client);
        return profile is null ? ApiResults.NotFound("User") : ApiResults.Ok(UserResponse.From(profile));
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<UserResponse>>, JsonHttpResult<ApiErrorEnvelope>>> UpdateMeAsync(
        UpdateProfileRequest request, IClusterClient client, ClaimsPrincipal user)
    {
        var result = await client.Reference<IUserGrain>(user.GetUserId()).UpdateProfileAsync(request.Username, request.FullName);
        return result.Status switch
        {
            AccountStatus.Ok => ApiResults.Ok(UserResponse.From(result.Profile!), "updated"),
            AccountStatus.UsernameTaken => ApiResults.Conflict("Username is already taken", "username"),
            _ => ApiResults.NotFound("User"),
        };
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<LoginResponse>>, JsonHttpResult<ApiErrorEnvelope>>> ChangePasswordAsync(
        ChangePasswordRequest request, IClusterClient client, SessionCache sessions, TokenIssuer tokens, ClaimsPrincipal user)
    {
        var userId = user.GetUserId();
        var result = await sessions.RevokeAsync(userId,
            () => client.Reference<IUserGrain>(userId).ChangePasswordAsync(request.CurrentPassword!, request.NewPassword!),
            r => r.Status == AccountStatus.Ok);
        switch (result.Status)
        {
            case AccountStatus.Ok:
                // Every earlier token is revoked, this one included; the answer carries a fresh one.
                var p = result.Profile!;
                var token = tokens.Issue(p.Id, p.Role, result.TokenVersion);
                return ApiResults.Ok(new LoginResponse(token.AccessToken, token.TokenType, token.ExpiresIn,
                    new LoginUser(p.Id, p.Email, p.Username, p.Role)), "password changed");
            case AccountStatus.WrongPassword:
                return ApiResults.Validation("current_password", "is incorrect");
            default:
                return ApiResults.NotFound("User");
        }
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<UserStatsResponse>>, JsonHttpResult<ApiErrorEnvelope>>> GetStatsAsync(
        IClusterClient client, TaskQueries tasks, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var profile = await client.Reference<IUserGrain>(user.GetUserId()).GetProfileAsync();
        if (profile is null)
        {
            return ApiResults.NotFound("User");
        }

        var (total, completed, failed, cost, last) = await tasks.UserStatsAsync(profile.Id, cancellationToken);
        return ApiResults.Ok(new UserStatsResponse(total, completed, failed, cost, profile.Balance, last));
    }
}
