namespace OwlFactory.ApiHost.Tasks;

/// <summary>A priced task type: credits per GPU-minute, and the hold a new task of it takes (price × timeout).</summary>
public sealed record TaskTypePrice(string TaskType, decimal PricePerMinute, decimal Hold);
