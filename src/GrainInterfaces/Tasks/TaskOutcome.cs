namespace OwlFactory.GrainInterfaces.Tasks;

[GenerateSerializer, Alias("owl.TaskOutcome")]
public enum TaskOutcome
{
    Ok = 0,
    NotFound = 1,

    /// <summary>The task's status forbids the action (409 INVALID_STATE).</summary>
    InvalidState = 2,

    /// <summary>The user already has max_concurrent_tasks_per_user pending or running (429).</summary>
    LimitExceeded = 3,

    /// <summary>The available balance is below the hold (400, with required and available).</summary>
    InsufficientBalance = 4,

    /// <summary>maintenance_mode is on (503, with maintenance_message).</summary>
    Maintenance = 5,

    /// <summary>The task type has no price in task_prices (422).</summary>
    UnknownTaskType = 6,
}

/// <summary>The answer to a user's action on a task. <c>Required</c>/<c>Available</c> explain an insufficient balance.</summary>
[GenerateSerializer, Alias("owl.TaskResult")]
public sealed record TaskResult(
    [property: Id(0)] TaskOutcome Outcome,
    [property: Id(1)] TaskRecord? Task,
    [property: Id(2)] decimal Required = 0m,
    [property: Id(3)] decimal Available = 0m,
    [property: Id(4)] string? Message = null)
{
    public static TaskResult Of(TaskOutcome outcome, TaskRecord? task = null) => new(outcome, task);
}
