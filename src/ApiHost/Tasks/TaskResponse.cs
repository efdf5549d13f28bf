using System.Text.Json.Nodes;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.ApiHost.Tasks;

/// <summary>
/// A task as the contract shows it, plus what a user of a queue wants to know: the attempt, the hold, and for a
/// pending task why it waits, its place in the queue and when it should start (docs/tasks.md).
/// </summary>
public sealed record TaskResponse(
    Guid Id,
    Guid UserId,
    string Title,
    string? Description,
    string TaskType,
    string Status,
    double Progress,
    int Priority,
    Guid? GpuServerId,
    JsonNode? Config,
    JsonNode? Result,
    string? ErrorMessage,
    decimal Cost,
    decimal HoldAmount,
    decimal PricePerMinute,
    int? EstimatedDuration,
    int TimeoutSeconds,
    int Attempt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? PendingReason = null,
    int? QueuePosition = null,
    DateTime? EstimatedStartAt = null)
{
    public static TaskResponse From(TaskView t, QueueInfo? queue = null) => new(
        t.Id, t.UserId, t.Title, t.Description, t.TaskType, t.Status, Math.Round(t.Progress, 1), t.Priority, t.GpuServerId,
        JsonNode.Parse(t.ConfigJson), t.ResultJson is null ? null : JsonNode.Parse(t.ResultJson), t.ErrorMessage, t.Cost,
        t.HoldAmount, t.Price, t.EstimatedDuration, t.TimeoutSeconds, t.Attempt, t.StartedAt, t.CompletedAt, t.CreatedAt,
        t.UpdatedAt, queue?.Reason, queue?.Position, queue?.EstimatedStartAt);
}
