namespace OwlFactory.GrainInterfaces.Accounts;

[GenerateSerializer, Alias("owl.UserStats")]
public sealed record UserStats(
    [property: Id(0)] int TotalTasks,
    [property: Id(1)] int CompletedTasks,
    [property: Id(2)] int FailedTasks,
    [property: Id(3)] decimal TotalCost,
    [property: Id(4)] decimal CurrentBalance,
    [property: Id(5)] DateTime? LastTaskDate);
