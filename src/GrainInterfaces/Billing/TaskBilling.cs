using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.GrainInterfaces.Billing;

/// <summary>
/// Billing: what a task costs its user. Each attempt holds its price for the whole timeout (price per minute × the
/// timeout in minutes, rounded half-up to cents) when it is queued. A run is metered by the time it ran (price per
/// minute × minutes run, rounded half-up to cents), never above the hold. Only a task that ends while running is
/// billed: one that ends before it started, or whose runs were all lost with their servers, costs nothing. At
/// settlement the cost is charged and the rest of the hold released.
/// </summary>
public static class TaskBilling
{
    /// <summary>The hold of an attempt: the most it can cost, its price for the whole timeout.</summary>
    public static decimal Hold(decimal pricePerMinute, int timeoutSeconds)
        => Cents(pricePerMinute * timeoutSeconds / 60m);

    /// <summary>Names the hold of one attempt; its charge and release are keyed by the same name.</summary>
    public static string HoldKey(Guid taskId, int attempt) => $"task:{taskId}:{attempt}";

    /// <summary>What the run so far costs at <paramref name="end"/>: nothing before it started, never more than its hold.</summary>
    public static decimal CostAt(TaskRecord task, DateTime end)
    {
        if (task.StartedAt is not { } started || end <= started)
        {
            return 0m;
        }

        return Math.Min(task.HoldAmount, Cents(task.Price * (decimal)(end - started).TotalMilliseconds / 60_000m));
    }

    /// <summary>What a task that ends at <paramref name="end"/> is charged: the cost of its run if it was running, else nothing.</summary>
    public static decimal FinalCost(TaskRecord ending, DateTime end)
        => ending.Status == TaskStatuses.Running ? CostAt(ending, end) : 0m;

    /// <summary>How a hold is settled: the cost charged (never more than the hold) and the rest released.</summary>
    public static (decimal Charge, decimal Release) Settle(decimal hold, decimal cost)
    {
        var charge = Math.Min(cost, hold);
        return (charge, hold - charge);
    }

    private static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
