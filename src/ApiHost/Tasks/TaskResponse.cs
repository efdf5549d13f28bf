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
        Id: t.Id,
        UserId: t.UserId,
        Title: t.Title,
        Description: t.Description,
        TaskType: t.TaskType,
        Status: t.Status,
        Progress: Math.Round(t.Progress, 1),
        Priority: t.Priority,
        GpuServerId: t.GpuServerId,
        Config: JsonNode.Parse(t.ConfigJson),
        Result: t.ResultJson is null ? null : JsonNode.Parse(t.ResultJson),
        ErrorMessage: t.ErrorMessage,
        Cost: t.Cost,
        HoldAmount: t.HoldAmount,
        PricePerMinute: t.Price,
        EstimatedDuration: t.EstimatedDuration,
        TimeoutSeconds: t.TimeoutSeconds,
        Attempt: t.Attempt,
        StartedAt: t.StartedAt,
        CompletedAt: t.CompletedAt,
        CreatedAt: t.CreatedAt,
        UpdatedAt: t.UpdatedAt,
        PendingReason: queue?.Reason,
        QueuePosition: queue?.Position,
        EstimatedStartAt: queue?.EstimatedStartAt);
}
