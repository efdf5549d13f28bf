using Orleans.Dashboard;
using OwlFactory.ApiHost.Accounts;
using OwlFactory.ApiHost.Admin;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Fleet;
using OwlFactory.ApiHost.Frontend;
using OwlFactory.ApiHost.Health;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Input;
using OwlFactory.ApiHost.Logs;
using OwlFactory.ApiHost.OpenApi;
using OwlFactory.ApiHost.Recharge;
using OwlFactory.ApiHost.Tasks;

namespace OwlFactory.ApiHost;

public static class ApiEndpointExtensions
{
    /// <summary>Every endpoint: the operational ones as Owl:Http exposes them, the dashboard, the API, the web console.</summary>
    public static WebApplication MapOwlEndpoints(this WebApplication app)
    {
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
        return app;
    }
}
