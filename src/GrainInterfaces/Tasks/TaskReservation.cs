namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>
/// A user grain's answer to a task grain's retry: the result for the caller and, when the retry was accepted, the task's
/// row as written with its new hold (at its new version), which the task grain holds from then on.
/// </summary>
[GenerateSerializer, Alias("owl.TaskReservation")]
public sealed record TaskReservation(
    [property: Id(0)] TaskResult Result,
    [property: Id(1)] TaskRecord? Written)
{
    public static TaskReservation Refused(TaskResult result) => new(result, null);
}
