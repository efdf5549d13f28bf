using Microsoft.AspNetCore.Http.HttpResults;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Logs;
using OwlFactory.ApiHost.Throttling;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Accounts;

public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        group.MapPost("/register", RegisterAsync).WithSummary("Create an account");
        group.MapPost("/login", LoginAsync).WithSummary("Exchange email and password for a bearer token");
        return group;
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<UserResponse>>, JsonHttpResult<ApiErrorEnvelope>>> RegisterAsync(
        RegisterRequest request, IClusterClient client, ClientThrottle throttle, RequestOperation operation, HttpContext http)
    {
        AuditLog.AddDetail(http, "email", request.Email);
        if (!await throttle.TryRegisterAsync(http))
        {
            return ApiResults.RateLimited(throttle.WindowSeconds);
        }

        var newId = operation.Id("register");
        var result = await client.Reference<IUserGrain>(newId)
            .RegisterAsync(new RegisterCommand(request.Email!, request.Username!, request.Password!, request.FullName, UserRole.User));
        return result.Status switch
        {
            AccountStatus.Ok => Audited(http, newId, ApiResults.Created(UserResponse.From(result.Profile!), "registered")),
            AccountStatus.EmailTaken => ApiResults.Conflict("Email is already registered", "email"),
            AccountStatus.UsernameTaken => ApiResults.Conflict("Username is already taken", "username"),
            _ => ApiResults.Conflict("Account already exists"),
        };
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<LoginResponse>>, JsonHttpResult<ApiErrorEnvelope>>> LoginAsync(
        LoginRequest request, IClusterClient client, UserDirectory directory, ClientThrottle throttle, TokenIssuer tokens,
        HttpContext http, CancellationToken cancellationToken)
    {
        AuditLog.AddDetail(http, "email", request.Email);
        var attempt = await throttle.BeginLoginAsync(http);
        if (attempt is null)
        {
            return ApiResults.RateLimited(throttle.WindowSeconds);
        }

        var failed = false;
        try
        {
            var (answer, wrongCredentials) = await AttemptLoginAsync(request, client, directory, tokens, http, cancellationToken);
            failed = wrongCredentials;
            return answer;
        }
        finally
        {
            await attempt.EndAsync(failed);
        }
    }

    private static async Task<(Results<JsonHttpResult<ApiEnvelope<LoginResponse>>, JsonHttpResult<ApiErrorEnvelope>> Answer, bool WrongCredentials)> AttemptLoginAsync(
        LoginRequest request, IClusterClient client, UserDirectory directory, TokenIssuer tokens, HttpContext http,
        CancellationToken cancellationToken)
    {
        // An unknown email still goes through a grain's password check (against no account), so both failures
        // cost the same time and answer the same way.
        var userId = await directory.FindIdByEmailAsync(request.Email!, cancellationToken) ?? Guid.Empty;
        if (userId != Guid.Empty)
        {
            AuditLog.SetUser(http, userId);
        }

        var result = await client.Reference<IUserGrain>(userId).LoginAsync(request.Password!);
        switch (result.Status)
        {
            case AccountStatus.Ok:
                var p = result.Profile!;
                var token = tokens.Issue(p.Id, p.Role, result.TokenVersion);
                return (ApiResults.Ok(new LoginResponse(token.AccessToken, token.TokenType, token.ExpiresIn,
                    new LoginUser(p.Id, p.Email, p.Username, p.Role)), "logged in"), false);
            case AccountStatus.Deactivated:
                return (ApiResults.AccessDenied("This account is deactivated"), false);
            default:
                return (ApiResults.InvalidCredentials("Invalid email or password"), true);
        }
    }

    private static T Audited<T>(HttpContext http, Guid userId, T result)
    {
        AuditLog.SetUser(http, userId);
        return result;
    }
}
