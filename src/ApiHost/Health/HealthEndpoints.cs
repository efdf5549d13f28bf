using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using OwlFactory.ApiHost.Http;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Admin;

namespace OwlFactory.ApiHost.Health;

public static class HealthEndpoints
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    public static RouteGroupBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", () => ApiResults.Ok(new { status = "alive" })).WithSummary("Liveness: the process answers");
        group.MapGet("/", ReadyAsync).WithSummary("Readiness: PostgreSQL and the Orleans cluster answer");
        group.MapGet("/ready", ReadyAsync).WithSummary("Readiness (same as /api/health)");
        return group;
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<HealthReport>>, JsonHttpResult<ApiErrorEnvelope>>> ReadyAsync(
        NpgsqlDataSource dataSource, IClusterClient client, ShutdownDrain drain, CancellationToken cancellationToken)
    {
        if (drain.Stopping)
        {
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServerUnavailable, "Stopping",
                new HealthReport("stopping", Database: false, Cluster: false, ActiveSilos: 0));
        }

        var database = CheckDatabaseAsync(dataSource, cancellationToken);
        var silos = CountSilosAsync(client);
        var grains = GrainAnswersAsync(client);
        var report = new HealthReport("ready", await database, await silos > 0 && await grains, await silos);
        return report is { Database: true, Cluster: true }
            ? ApiResults.Ok(report)
            : ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServerUnavailable, "Not ready",
                report with { Status = "not_ready" });
    }

    private static async Task<bool> CheckDatabaseAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).WaitAsync(CheckTimeout, cancellationToken);
            return true;
        }
        catch (Exception e) when (ApiExceptionHandler.IsUnavailable(e))
        {
            return false;
        }
    }

    /// <summary>
    /// A real grain call, as every request makes: listing silos can succeed through a gateway while grain calls
    /// still fail (a client started on a membership table that listed dead silos), and then this host is not ready.
    /// </summary>
    private static async Task<bool> GrainAnswersAsync(IClusterClient client)
    {
        try
        {
            await client.Reference<ISystemConfigGrain>(0).GetAsync().WaitAsync(CheckTimeout);
            return true;
        }
        catch (Exception e) when (ApiExceptionHandler.IsUnavailable(e))
        {
            return false;
        }
    }

    private static async Task<int> CountSilosAsync(IClusterClient client)
    {
        try
        {
            var hosts = await client.Reference<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(CheckTimeout);
            return hosts.Count;
        }
        catch (Exception e) when (ApiExceptionHandler.IsUnavailable(e))
        {
            return 0;
        }
    }
}
