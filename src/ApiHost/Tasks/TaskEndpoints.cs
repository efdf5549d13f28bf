using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Logs;
using OwlFactory.ApiHost.Streaming;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.GrainInterfaces.Admin;
using OwlFactory.GrainInterfaces.Billing;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.ApiHost.Tasks;

/// <summary>The contract's task endpoints. A task the caller may not see (another user's) is a 404.</summary>
public static class TaskEndpoints
{
    // Below the 10 s grain-call timeout.
    private static readonly TimeSpan EventsWait = TimeSpan.FromSeconds(8);

    public static RouteGroupBuilder MapTaskEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization();
        group.MapPost("/", CreateAsync).WithSummary("Submit a task (optional Idempotency-Key header); its most possible cost is held");
        group.MapGet("/types", TypesAsync).WithSummary("The priced task types, the hold a new task of each takes, and the limits in force");
        group.MapGet("/", ListAsync).WithSummary("The caller's tasks (admins: any user's with user_id), filtered, sorted and paged");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("One task; a pending one says why it waits, its queue position and ETA");
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithSummary("Cancel a pending or running task");
        group.MapPost("/{id:guid}/retry", RetryAsync).WithSummary("Run a failed or cancelled task again (a new hold)");
        group.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete a finished task (its ledger entries stay)");
        group.MapGet("/{id:guid}/events", Events).WithSummary("Server-Sent Events: the task on every status or progress change, until it ends");
        return group;
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<TaskResponse>>, JsonHttpResult<ApiErrorEnvelope>>> CreateAsync(
        CreateTaskRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        IClusterClient client, IdempotencyKeys idempotency, RequestOperation operation, AuditLog audit, HttpContext http, ClaimsPrincipal user)
    {
        if (idempotencyKey is { Length: 0 or > IdempotencyKeys.MaxKeyLength })
        {
            return ApiResults.Validation("Idempotency-Key", "must be 1-255 characters");
        }

        if (idempotencyKey is not null && !await idempotency.ClaimAsync("tasks", user.GetUserId(), idempotencyKey, request))
        {
            return IdempotencyKeys.Conflict();
        }

        var submission = new TaskSubmission(request.Title!.Trim(), request.Description, request.TaskType!.Trim(), request.Priority,
            request.EstimatedDuration, request.Config?.ToJsonString() ?? "{}", idempotencyKey, operation.Id("submit"),
            audit.Ahead(http, StatusCodes.Status201Created));
        var result = await client.Reference<IUserGrain>(user.GetUserId()).SubmitTaskAsync(submission);
        if (result.Audited)
        {
            AuditLog.Recorded(http);
        }

        return result.Outcome == TaskOutcome.Ok
            ? ApiResults.Created(TaskResponse.From(result.Task!), "task submitted")
            : Refusal(result);
    }

    internal static async Task<JsonHttpResult<ApiEnvelope<TaskTypesResponse>>> TypesAsync(IClusterClient client)
    {
        var config = await client.Reference<ISystemConfigGrain>(0).GetAsync();
        var types = config.TaskPrices
            .Select(p => new TaskTypePrice(p.Key, p.Value, TaskBilling.Hold(p.Value, config.DefaultTaskTimeout)))
            .ToList();
        return ApiResults.Ok(new TaskTypesResponse(types, config.DefaultTaskTimeout, config.MaxConcurrentTasksPerUser,
            config.MaintenanceMode, config.MaintenanceMode ? config.MaintenanceMessage : null));
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<PagedList<TaskResponse>>>, JsonHttpResult<ApiErrorEnvelope>>> ListAsync(
        [AsParameters] TaskListQuery query, TaskQueries tasks, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (query.UserId is not null && !user.IsAdmin())
        {
            return ApiResults.AccessDenied("Only admins may list another user's tasks");
        }

        return ApiResults.Ok(await tasks.ListAsync(query, query.UserId ?? user.GetUserId(), cancellationToken));
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<TaskResponse>>, JsonHttpResult<ApiErrorEnvelope>>> GetAsync(
        Guid id, IClusterClient client, TaskQueries tasks, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await VisibleAsync(id, client, user) is not { } task)
        {
            return ApiResults.NotFound("Task");
        }

        QueueInfo? queue = null;
        if (task.Status == TaskStatuses.Pending)
        {
            var config = await client.Reference<ISystemConfigGrain>(0).GetAsync();
            queue = await tasks.QueueInfoAsync(task, config.MaintenanceMode, cancellationToken);
        }

        return ApiResults.Ok(TaskResponse.From(task, queue));
    }

    internal static Task<Results<JsonHttpResult<ApiEnvelope<TaskResponse>>, JsonHttpResult<ApiErrorEnvelope>>> CancelAsync(
        Guid id, IClusterClient client, ClaimsPrincipal user)
        => ActAsync(id, client, user, g => g.CancelAsync(), "task cancelled");

    internal static Task<Results<JsonHttpResult<ApiEnvelope<TaskResponse>>, JsonHttpResult<ApiErrorEnvelope>>> RetryAsync(
        Guid id, IClusterClient client, ClaimsPrincipal user)
        => ActAsync(id, client, user, g => g.RetryAsync(), "task queued again");

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<object?>>, JsonHttpResult<ApiErrorEnvelope>>> DeleteAsync(
        Guid id, IClusterClient client, ClaimsPrincipal user)
    {
        if (await VisibleAsync(id, client, user) is null)
        {
            return ApiResults.NotFound("Task");
        }

        var result = await client.Reference<ITaskGrain>(id).DeleteAsync();
        return result.Outcome == TaskOutcome.Ok ? ApiResults.Ok<object?>(null, "task deleted") : Refusal(result);
    }

    internal static async Task<Results<ServerSentEventsResult<TaskResponse>, JsonHttpResult<ApiErrorEnvelope>>> Events(
        Guid id, IClusterClient client, StreamSessions streams, ClaimsPrincipal user, HttpContext http)
    {
        if (await VisibleAsync(id, client, user) is not { } task)
        {
            return ApiResults.NotFound("Task");
        }

        return streams.TryOpen(http) is { } lease
            ? TypedResults.ServerSentEvents(FollowAsync(task, client.Reference<ITaskGrain>(id), lease.Token), "task")
            : ApiResults.TooManyStreams(streams.MaxPerUser);
    }

    private static async IAsyncEnumerable<TaskResponse> FollowAsync(
        TaskView task, ITaskGrain grain, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return TaskResponse.From(task);
        var last = task;
        while (!last.IsFinished && !cancellationToken.IsCancellationRequested)
        {
            var next = await NextChangeAsync(grain, last, cancellationToken);
            if (next is null)
            {
                yield break;
            }

            if (!next.SameAs(last))
            {
                last = next;
                yield return TaskResponse.From(next);
            }
        }
    }

    /// <summary>The task's next change, or null when it is gone or the stream must end (the wait is abandoned, not the grain's).</summary>
    private static async Task<TaskView?> NextChangeAsync(ITaskGrain grain, TaskView last, CancellationToken cancellationToken)
    {
        try
        {
            return await grain.WaitForChangeAsync(last, EventsWait).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task<Results<JsonHttpResult<ApiEnvelope<TaskResponse>>, JsonHttpResult<ApiErrorEnvelope>>> ActAsync(
        Guid id, IClusterClient client, ClaimsPrincipal user, Func<ITaskGrain, Task<TaskResult>> action, string message)
    {
        if (await VisibleAsync(id, client, user) is null)
        {
            return ApiResults.NotFound("Task");
        }

        var result = await action(client.Reference<ITaskGrain>(id));
        return result.Outcome == TaskOutcome.Ok ? ApiResults.Ok(TaskResponse.From(result.Task!), message) : Refusal(result);
    }

    private static Task<TaskView?> VisibleAsync(Guid id, IClusterClient client, ClaimsPrincipal user)
        => client.Reference<ITaskGrain>(id).VisibleToAsync(user);

    private static JsonHttpResult<ApiErrorEnvelope> Refusal(TaskResult result) => result.Outcome switch
    {
        TaskOutcome.NotFound => ApiResults.NotFound("Task"),
        TaskOutcome.InvalidState => ApiResults.Error(StatusCodes.Status409Conflict, ErrorCodes.InvalidState,
            $"The task is {result.Task?.Status ?? "gone"}; that action is not allowed now", new { status = result.Task?.Status }),
        TaskOutcome.LimitExceeded => ApiResults.Error(StatusCodes.Status429TooManyRequests, ErrorCodes.TaskLimitExceeded,
            result.Message ?? "Too many pending or running tasks"),
        TaskOutcome.InsufficientBalance => ApiResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.InsufficientBalance,
            "The available balance does not cover the task's hold", new { required = result.Required, available = result.Available }),
        TaskOutcome.Maintenance => ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServerUnavailable,
            result.Message ?? "The platform is under maintenance", new { maintenance = true }),
        TaskOutcome.UnknownTaskType => ApiResults.Validation("task_type", "is not a priced task type (see task_prices)"),
        _ => ApiResults.Error(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "Unexpected outcome"),
    };
}
