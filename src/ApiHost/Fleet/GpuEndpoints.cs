using System.ComponentModel.DataAnnotations;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Streams;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Streaming;
using OwlFactory.ApiHost.Tasks;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.ApiHost.Fleet;

public static class GpuEndpoints
{
    public static RouteGroupBuilder MapGpuEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/gpu").WithTags("GPU fleet").RequireAuthorization();
        group.MapGet("/servers", ListAsync).WithSummary("Every GPU server with its latest telemetry");
        group.MapGet("/servers/{id:guid}", GetAsync).WithSummary("One GPU server");
        group.MapGet("/servers/{id:guid}/status", StatusAsync).WithSummary("A server's real-time status");
        group.MapGet("/servers/{id:guid}/history", HistoryAsync).WithSummary("A server's telemetry of the last N minutes (1-60)");
        group.MapGet("/servers/{id:guid}/telemetry/stream", TelemetryStream).WithSummary("Server-Sent Events: the server's telemetry as it arrives");
        group.MapGet("/cluster/overview", OverviewAsync).WithSummary("The cluster at a glance");
        group.MapGet("/cluster/stream", ClusterStream).WithSummary("Server-Sent Events: the overview, whenever it changes (checked every second)");

        var admin = group.MapGroup("/servers").RequireAuthorization(OwlClaims.AdminPolicy);
        admin.MapPost("/", CreateAsync).WithSummary("Register a server (admin); answers its agent token, shown only here");
        admin.MapPut("/{id:guid}", UpdateAsync).WithSummary("Change a server or its maintenance mode (admin)");
        admin.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Remove a server that runs no task (admin)");
        admin.MapPost("/{id:guid}/rotate-token", RotateTokenAsync).WithSummary("Issue a new agent token; the old one stops working at once (admin)");
        return group;
    }

    internal static async Task<JsonHttpResult<ApiEnvelope<List<ServerResponse>>>> ListAsync(IClusterClient client)
        => ApiResults.Ok((await client.Reference<IFleetDirectoryGrain>(0).ListAsync()).Select(ServerResponse.From).ToList());

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<ServerResponse>>, JsonHttpResult<ApiErrorEnvelope>>> GetAsync(Guid id, IClusterClient client)
        => await client.Reference<IGpuServerGrain>(id).GetSummaryAsync() is { } s
            ? ApiResults.Ok(ServerResponse.From(s))
            : ApiResults.NotFound("GPU server");

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<ServerStatusResponse>>, JsonHttpResult<ApiErrorEnvelope>>> StatusAsync(Guid id, IClusterClient client)
        => await client.Reference<IGpuServerGrain>(id).GetLiveStatusAsync() is { } s
            ? ApiResults.Ok(ServerStatusResponse.From(s))
            : ApiResults.NotFound("GPU server");

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<List<ServerStatusResponse>>>, JsonHttpResult<ApiErrorEnvelope>>> HistoryAsync(
        Guid id, [Range(1, 60)] int? minutes, IClusterClient client)
    {
        if (minutes is < 1 or > 60)
        {
            return ApiResults.Validation("minutes", "must be between 1 and 60");
        }

        var grain = client.Reference<IGpuServerGrain>(id);
        if (await grain.GetSummaryAsync() is not { } summary)
        {
            return ApiResults.NotFound("GPU server");
        }

        var samples = await grain.GetHistoryAsync(minutes ?? 10);
        return ApiResults.Ok(samples.Select(s => ServerStatusResponse.From(s, summary.Status)).ToList());
    }

    internal static async Task<JsonHttpResult<ApiEnvelope<ClusterOverviewResponse>>> OverviewAsync(
        IClusterClient client, TaskQueries tasks, CancellationToken cancellationToken)
        => ApiResults.Ok(await OverviewOfAsync(client, tasks, cancellationToken));

    private static async Task<ClusterOverviewResponse> OverviewOfAsync(IClusterClient client, TaskQueries tasks, CancellationToken cancellationToken)
        => ClusterOverviewResponse.From(await client.Reference<IFleetDirectoryGrain>(0).ListAsync(),
            (int)await tasks.QueueLengthAsync(cancellationToken));

    internal static async Task<Results<ServerSentEventsResult<ServerStatusResponse>, JsonHttpResult<ApiErrorEnvelope>>> TelemetryStream(
        Guid id, IClusterClient client, StreamSessions streams, HttpContext http)
    {
        var current = await client.Reference<IGpuServerGrain>(id).GetLiveStatusAsync();
        if (current is null)
        {
            return ApiResults.NotFound("GPU server");
        }

        return streams.TryOpen(http) is { } lease
            ? TypedResults.ServerSentEvents(FollowTelemetryAsync(current, client, lease.Token), "telemetry")
            : ApiResults.TooManyStreams(streams.MaxPerUser);
    }

    internal static Results<ServerSentEventsResult<ClusterOverviewResponse>, JsonHttpResult<ApiErrorEnvelope>> ClusterStream(
        ClusterOverviewFeed feed, StreamSessions streams, HttpContext http)
        => streams.TryOpen(http) is { } lease
            ? TypedResults.ServerSentEvents(FollowClusterAsync(feed, lease.Token), "overview")
            : ApiResults.TooManyStreams(streams.MaxPerUser);

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<ServerCreatedResponse>>, JsonHttpResult<ApiErrorEnvelope>>> CreateAsync(
        CreateServerRequest request, IClusterClient client, AgentTokenIssuer agentTokens, RequestOperation operation)
    {
        var id = operation.Id("server");
        var (token, hash) = agentTokens.Issue(id);
        var grain = client.Reference<IGpuServerGrain>(id);
        var spec = new ServerSpec(request.Name!, request.Host!, request.GpuCount, request.MaxConcurrentTasks, request.TotalMemory, request.Description);
        return await grain.CreateAsync(spec, hash) switch
        {
            ServerWriteStatus.Ok => ApiResults.Created(new ServerCreatedResponse(ServerResponse.From((await grain.GetSummaryAsync())!), token), "server registered"),
            _ => ApiResults.Conflict("A server with this name exists", "name"),
        };
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<ServerResponse>>, JsonHttpResult<ApiErrorEnvelope>>> UpdateAsync(
        Guid id, UpdateServerRequest request, IClusterClient client)
    {
        var grain = client.Reference<IGpuServerGrain>(id);
        if (await grain.GetSummaryAsync() is not { } s)
        {
            return ApiResults.NotFound("GPU server");
        }

        var spec = new ServerSpec(request.Name ?? s.Name, request.Host ?? s.Host, request.GpuCount ?? s.GpuCount,
            request.MaxConcurrentTasks ?? s.MaxConcurrentTasks, request.TotalMemory ?? s.TotalMemory, request.Description ?? s.Description);
        return await grain.UpdateAsync(spec, request.Maintenance) switch
        {
            ServerWriteStatus.Ok => ApiResults.Ok(ServerResponse.From((await grain.GetSummaryAsync())!), "updated"),
            ServerWriteStatus.NameTaken => ApiResults.Conflict("A server with this name exists", "name"),
            _ => ApiResults.NotFound("GPU server"),
        };
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<object?>>, JsonHttpResult<ApiErrorEnvelope>>> DeleteAsync(Guid id, IClusterClient client)
        => await client.Reference<IGpuServerGrain>(id).DeleteAsync() switch
        {
            ServerWriteStatus.Ok => ApiResults.Ok<object?>(null, "deleted"),
            ServerWriteStatus.RunsTasks => ApiResults.Error(StatusCodes.Status409Conflict, ErrorCodes.InvalidState, "The server is running tasks"),
            _ => ApiResults.NotFound("GPU server"),
        };

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<ServerCreatedResponse>>, JsonHttpResult<ApiErrorEnvelope>>> RotateTokenAsync(
        Guid id, IClusterClient client, AgentTokenIssuer agentTokens)
    {
        var (token, hash) = agentTokens.Issue(id);
        var grain = client.Reference<IGpuServerGrain>(id);
        return await grain.RotateTokenAsync(hash)
            ? ApiResults.Ok(new ServerCreatedResponse(ServerResponse.From((await grain.GetSummaryAsync())!), token), "token rotated")
            : ApiResults.NotFound("GPU server");
    }

    /// <summary>
    /// Relays the server's telemetry stream to one SSE client through a small buffer that drops the oldest sample
    /// when the client is slow, so a slow client never slows the stream; the subscription ends with the request.
    /// </summary>
    private static async IAsyncEnumerable<ServerStatusResponse> FollowTelemetryAsync(
        ServerLiveStatus current, IClusterClient client, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = Channel.CreateBounded<GpuTelemetry>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        var stream = client.GetStreamProvider(OwlConstants.StreamProvider)
            .GetStream<GpuTelemetry>(StreamId.Create(FleetStreams.Telemetry, current.ServerId));
        var subscription = await stream.SubscribeAsync((sample, _) =>
        {
            buffer.Writer.TryWrite(sample);
            return Task.CompletedTask;
        });
        // The grain publishes samples only while someone watches; the lease is renewed well before it runs out.
        var server = client.Reference<IGpuServerGrain>(current.ServerId);
        await server.WatchAsync();
        using var renew = new PeriodicTimer(TimeSpan.FromSeconds(20));
        var renewing = RenewWatchAsync(server, renew, cancellationToken);
        try
        {
            yield return ServerStatusResponse.From(current);
            while (await WaitAsync(buffer.Reader, cancellationToken))
            {
                while (buffer.Reader.TryRead(out var sample))
                {
                    yield return ServerStatusResponse.From(sample, current.Status);
                }
            }
        }
        finally
        {
            renew.Dispose();
            await renewing;
            await subscription.UnsubscribeAsync();
        }
    }

    private static async Task RenewWatchAsync(IGpuServerGrain server, PeriodicTimer timer, CancellationToken cancellationToken)
    {
        while (await Tick(timer, cancellationToken))
        {
            await server.WatchAsync();
        }
    }

    private static async IAsyncEnumerable<ClusterOverviewResponse> FollowClusterAsync(
        ClusterOverviewFeed feed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ClusterOverviewResponse? last = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            var overview = await NextOverviewAsync(feed, cancellationToken);
            if (overview is null)
            {
                yield break;
            }

            if (overview != last)
            {
                last = overview;
                yield return overview;
            }
        }
        while (await Tick(timer, cancellationToken));
    }

    private static async Task<ClusterOverviewResponse?> NextOverviewAsync(ClusterOverviewFeed feed, CancellationToken cancellationToken)
    {
        try
        {
            return await feed.GetAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task<bool> WaitAsync(ChannelReader<GpuTelemetry> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.WaitToReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
