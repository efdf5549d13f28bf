namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>One line of a task's log as an agent sends it.</summary>
[GenerateSerializer, Alias("owl.TaskLogLine")]
public sealed record TaskLogLine(
    [property: Id(0)] DateTime Ts,
    [property: Id(1)] string Level,
    [property: Id(2)] string Message);
