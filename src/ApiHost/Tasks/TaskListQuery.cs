using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using OwlFactory.ApiHost.Http;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.ApiHost.Tasks;

public sealed class TaskListQuery : PageQuery
{
    [FromQuery(Name = "status")]
    [AllowedValues(null, TaskStatuses.Pending, TaskStatuses.Running, TaskStatuses.Completed, TaskStatuses.Failed, TaskStatuses.Cancelled,
        ErrorMessage = $"must be one of {TaskStatuses.Pending}, {TaskStatuses.Running}, {TaskStatuses.Completed}, {TaskStatuses.Failed}, {TaskStatuses.Cancelled}")]
    public string? Status { get; init; }

    [FromQuery(Name = "task_type")]
    [MaxLength(64, ErrorMessage = "must be at most 64 characters")]
    public string? TaskType { get; init; }

    [FromQuery(Name = "sort_by")]
    [AllowedValues(null, "created_at", "updated_at", "priority", ErrorMessage = "must be one of created_at, updated_at, priority")]
    public string? SortBy { get; init; }

    [FromQuery(Name = "sort_order")]
    [AllowedValues(null, "asc", "desc", ErrorMessage = "must be asc or desc")]
    public string? SortOrder { get; init; }

    /// <summary>Admins only: another user's tasks.</summary>
    [FromQuery(Name = "user_id")]
    public Guid? UserId { get; init; }
}
