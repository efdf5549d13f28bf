namespace OwlFactory.ApiHost.Accounts;

public sealed record UserStatsResponse(
    int TotalTasks, int CompletedTasks, int FailedTasks, decimal TotalCost, decimal CurrentBalance, DateTime? LastTaskDate);
