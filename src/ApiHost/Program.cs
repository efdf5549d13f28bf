using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OwlFactory.Database;
using OwlFactory.Database.Batching;
using Orleans.Configuration;
using OwlFactory.ApiHost;
using OwlFactory.ApiHost.Accounts;
using OwlFactory.ApiHost.Admin;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Cluster;
using OwlFactory.ApiHost.Frontend;
using OwlFactory.ApiHost.Health;
using OwlFactory.ApiHost.Fleet;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Input;
using OwlFactory.ApiHost.Recharge;
using OwlFactory.ApiHost.Logs;
using OwlFactory.ApiHost.OpenApi;
using OwlFactory.Database.Hosting;
using OwlFactory.Database.Logging;
using Orleans.Connections.Security;
using OwlFactory.ApiHost.Streaming;
using OwlFactory.ApiHost.Tasks;
using OwlFactory.ApiHost.Throttling;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var connectionString = builder.Configuration.GetConnectionString("Owl")
    ?? throw new InvalidOperationException("ConnectionStrings:Owl is not set.");
builder.AddSystemLogs(connectionString, "api");

// The cluster: an Orleans client that finds gateways in PostgreSQL. The host starts without waiting for it, so
// /api/health can say "not ready" until a silo appears.
var cluster = builder.Configuration.GetSection(ClusterClientSettings.Section).Get<ClusterClientSettings>() ?? new ClusterClientSettings();
builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = cluster.ClusterId;
        o.ServiceId = cluster.ServiceId;
    });
    client.UseAdoNetClustering(o =>
    {
        o.Invariant = OwlConstants.AdoInvariant;
        o.ConnectionString = connectionString;
    });
    client.UseConnectionRetryFilter(async (_, cancellationToken) =>
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return true;
    });
    client.AddMemoryStreams(OwlConstants.StreamProvider);
    // Database errors from a grain's activation arrive as themselves (see the silo's matching setting): 503, not 500.
    client.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
    client.AddDashboard();
    if (builder.Configuration.GetSection(ClusterTlsSettings.Section).Get<ClusterTlsSettings>() is { Enabled: true } tls)
    {
        var certificate = tls.LoadCertificate();
        client.UseTls(certificate, o =>
        {
            o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.RemoteCertificateValidation = (peer, _, errors) => tls.IsTrustedPeer(certificate, peer, errors);
        });
    }
    client.AddOwlClientResilience();
});

// Metrics: ASP.NET Core's, the Orleans client's and the platform's own, for Prometheus at /metrics.
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddAspNetCoreInstrumentation()
    .AddMeter("Microsoft.Orleans", OwlMetrics.MeterName)
    .AddPrometheusExporter());
builder.Services.AddHostedService<TaskGauges>();
builder.Services.AddShutdownDrain();
builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);

// HTTP: snake_case JSON under the one input policy, a 1 MiB body limit, bad input thrown to the one exception handler.
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 1024 * 1024);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.DictionaryKeyPolicy = null;
    o.SerializerOptions.Converters.Add(new MoneyJsonConverter());
    InputPolicy.Configure(o.SerializerOptions);
});
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.AddProblemDetails();
builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor);
builder.Services.AddOwlOpenApi();
builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<ConsoleRouteConstraint>(WebConsole.RouteConstraint));

// Auth: HS256 bearer tokens, re-checked against the account's grain on every request.
builder.Services.AddOptions<AuthSettings>().BindConfiguration(AuthSettings.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<SigningKeyProvider>();
builder.Services.AddSingleton<TokenIssuer>();
builder.Services.AddSingleton<AgentTokenIssuer>();
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer()
    .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName, null);
builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
    .Configure<IOptions<AuthSettings>, SigningKeyProvider>((o, auth, keys) =>
    {
        o.MapInboundClaims = false;
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
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(OwlClaims.AdminPolicy, p => p.RequireRole(UserRole.Admin, UserRole.SuperAdmin));

builder.Services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => OwlDataSource.Create(connectionString, "owl-api"));
builder.Services.AddSingleton<SessionCache>();
builder.Services.AddHostedService<AccountChangeListener>();
builder.Services.AddSingleton<ClientThrottle>();
builder.Services.AddSingleton<IdempotencyKeys>();
builder.Services.AddOptions<StreamSettings>().BindConfiguration(StreamSettings.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<StreamSessions>();
builder.Services.AddSingleton<ClusterOverviewFeed>();
builder.Services.AddSingleton<UserDirectory>();
builder.Services.AddSingleton<RechargeQueries>();
builder.Services.AddSingleton<TaskQueries>();
builder.Services.AddSingleton<WriteBatcher>();
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddSingleton<AdminStatsQuery>();
builder.Services.AddSingleton<LogQueries>();

var app = builder.Build();

// Fail at start, not at the first request, when the signing key is missing outside Development.
_ = app.Services.GetRequiredService<SigningKeyProvider>();

app.UseSecurityHeaders();
app.Use(RequestOperation.Capture);
app.UseForwardedHeaders();
app.UseFrontDoorGate();
app.UseExceptionHandler();
app.UseStatusCodePages(StatusCodeEnvelopes.WriteAsync);
app.UseWebConsole();
app.UseAuthentication();
app.UseAuthorization();
app.Use(SessionValidator.ForgetOwnChanges);

// Operational endpoints: served to whom Owl:Http says (docs/security.md), or not at all.
var exposure = app.Configuration.GetSection(ExposureSettings.Section).Get<ExposureSettings>() ?? new ExposureSettings();
if (exposure.OpenApi != Exposure.Off)
{
    app.MapOwlApiDocs(exposure.OpenApi);
}

if (exposure.Metrics != Exposure.Off)
{
    app.MapPrometheusScrapingEndpoint("/metrics").ExposedAs(exposure.Metrics);
}

// The Orleans dashboard, for admins: a bearer token, or (for a browser) ?access_token= once, kept in a cookie.
app.MapOrleansDashboard("/api/dashboard").RequireAuthorization(OwlClaims.AdminPolicy);

var api = app.MapGroup("").AddEndpointFilterFactory(AuditLog.Filter).AddEndpointFilterFactory(ValidationFilter.Create);
api.MapHealthEndpoints();
api.MapAuthEndpoints();
api.MapUserEndpoints();
api.MapRechargeEndpoints();
api.MapTaskEndpoints();
api.MapLogEndpoints();
api.MapGpuEndpoints();
api.MapAgentEndpoints();
api.MapAdminEndpoints();
app.MapWebConsole();

app.Run();
