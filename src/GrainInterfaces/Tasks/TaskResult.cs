namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>
/// The answer to a user's action on a task. <c>Required</c>/<c>Available</c> explain an insufficient balance;
/// <c>Audited</c>: the request's <see cref="AuditEntry"/> was written with the action.
/// </summary>
[GenerateSerializer, Alias("owl.TaskResult")]
public sealed record TaskResult(
    [property: Id(0)] TaskOutcome Outcome,
    [property: Id(1)] TaskView? Task,
    [property: Id(2)] decimal Required = 0m,
    [property: Id(3)] decimal Available = 0m,
    [property: Id(4)] string? Message = null,
    [property: Id(5)] bool Audited = false)
{
    public static TaskResult Of(TaskOutcome outcome, TaskView? task = null) => new(outcome, task);
}
