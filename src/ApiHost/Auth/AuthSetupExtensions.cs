using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.ApiHost.Auth;

public static class AuthSetupExtensions
{
    // Picks the handler by the token's prefix.
    private const string BearerOrAgent = "bearer-or-agent";

    /// <summary>Auth: HS256 bearer tokens for users, re-checked against the account on every request; agent tokens for GPU servers.</summary>
    public static IServiceCollection AddOwlAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthSettings>().BindConfiguration(AuthSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<AgentTokenIssuer>();
        services.AddSingleton<ValidatedTokens>();
        // A request is authenticated by the one handler its token is for: an agent token never goes through the JWT
        // handler (whose refusal of it would cost an exception on every heartbeat), a user's token never through the agent's.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = JwtBearerDefaults.AuthenticationScheme;
                o.DefaultAuthenticateScheme = BearerOrAgent;
            })
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(BearerOrAgent, null, o => o.ForwardDefaultSelector = context =>
                AgentTokenIssuer.IsAgentBearer(context.Request.Headers.Authorization)
                    ? AgentAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthSettings>, SigningKeyProvider, ValidatedTokens>((o, auth, keys, validated) =>
            {
                o.MapInboundClaims = false;
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(validated);
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = keys.Key,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = OwlClaims.Subject,
                    RoleClaimType = OwlClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = async context =>
                    {
                        await SessionValidator.OnTokenValidated(context);
                        DashboardToken.OnTokenValidated(context);
                    },
                    OnMessageReceived = DashboardToken.OnMessageReceived,
                };
            });
        // Users' endpoints take users' tokens only: an agent token authenticates (above) but never passes these.
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build())
            .AddPolicy(OwlClaims.AdminPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireRole(UserRole.Admin, UserRole.SuperAdmin));
        services.AddSingleton<SessionCache>();
        services.AddHostedService<AccountChangeListener>();
        return services;
    }
}
