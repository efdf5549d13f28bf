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
