using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Input;
using OwlFactory.ApiHost.Streaming;
using OwlFactory.ApiHost.Tasks;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.ApiHost.Logs;

public static class LogEndpoints
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(500);

    public static RouteGroupBuilder MapLogEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/logs").WithTags("Logs").RequireAuthorization();
        group.MapGet("/tasks/{taskId:guid}", TaskLogAsync)
            .WithSummary("A task's log, oldest first, from the cursor 'after'; ?follow=true streams new lines as Server-Sent Events");

        var admin = group.MapGroup("").RequireAuthorization(OwlClaims.AdminPolicy);
        admin.MapGet("/system", SystemAsync).WithSummary("Every process's log records, newest first (admin)");
        admin.MapGet("/user-actions", UserActionsAsync).WithSummary("The audit trail, newest first (admin)");
        admin.MapGet("/download", Download).WithSummary("One UTC day of a log as an NDJSON attachment (admin)");
        return group;
    }

    internal static async Task<JsonHttpResult<ApiEnvelope<PagedList<SystemLogResponse>>>> SystemAsync(
        [AsParameters] SystemLogQuery query, LogQueries logs, CancellationToken cancellationToken)
        => ApiResults.Ok(await logs.SystemAsync(query, cancellationToken));

    internal static async Task<JsonHttpResult<ApiEnvelope<PagedList<UserActionResponse>>>> UserActionsAsync(
        [AsParameters] UserActionQuery query, LogQueries logs, CancellationToken cancellationToken)
        => ApiResults.Ok(await logs.UserActionsAsync(query, cancellationToken));

    internal static Results<PushStreamHttpResult, JsonHttpResult<ApiErrorEnvelope>> Download(
        [FromQuery(Name = "log_type")] string? logType, [FromQuery(Name = "date")] string? date, LogQueries logs, CancellationToken cancellationToken)
    {
        if (logType is not ("system" or "user-actions" or "tasks"))
        {
            return ApiResults.Validation("log_type", "must be one of system, user-actions, tasks");
        }

        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var day)
            || day < DateOnly.FromDateTime(InputPolicy.MinDate) || day > DateOnly.FromDateTime(InputPolicy.MaxDate))
        {
            return ApiResults.Validation("date", "must be a date as YYYY-MM-DD, between 1970-01-01 and 2999-12-31");
        }

        return TypedResults.Stream(
            output => logs.WriteDayAsync(logType, day, output, cancellationToken), "application/x-ndjson", $"owl-{logType}-{day:yyyy-MM-dd}.ndjson");
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<TaskLogPage>>, ServerSentEventsResult<TaskLogResponse>, JsonHttpResult<ApiErrorEnvelope>>> TaskLogAsync(
        Guid taskId, [AsParameters] TaskLogQuery query, IClusterClient client, TaskQueries tasks, StreamSessions streams,
        ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken)
    {
        var grain = client.Reference<ITaskGrain>(taskId);
        if (await grain.VisibleToAsync(user) is null)
        {
            return ApiResults.NotFound("Task");
        }

        if (query.Follow == true)
        {
            return streams.TryOpen(http) is { } lease
                ? TypedResults.ServerSentEvents(FollowAsync(taskId, query.After ?? 0, grain, tasks, lease.Token), "log")
                : ApiResults.TooManyStreams(streams.MaxPerUser);
        }

        var limit = query.Limit ?? 50;
        var lines = await tasks.LogsAsync(taskId, query.After ?? 0, limit + 1, cancellationToken);
        var more = lines.Count > limit;
        var page = more ? lines[..limit] : lines;
        return ApiResults.Ok(new TaskLogPage(page, page.Count > 0 ? page[^1].Id : query.After ?? 0, more));
    }

    /// <summary>Every line after the cursor, then new ones as they are appended, until the task has ended and all is sent.</summary>
    private static async IAsyncEnumerable<TaskLogResponse> FollowAsync(
        Guid taskId, long after, ITaskGrain grain, TaskQueries tasks, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // Read the status first: lines written before the task ended are all visible to the read that follows.
            var ended = (await grain.GetAsync())?.IsFinished ?? true;
            List<TaskLogResponse> lines;
            do
            {
                lines = await tasks.LogsAsync(taskId, after, 200, cancellationToken);
                foreach (var line in lines)
                {
                    after = line.Id;
                    yield return line;
                }
            }
            while (lines.Count == 200);

            if (ended)
            {
                yield break;
            }

            try
            {
                await Task.Delay(FollowPoll, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
