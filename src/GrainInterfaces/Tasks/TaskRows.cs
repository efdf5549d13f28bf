using System.Data.Common;

namespace OwlFactory.GrainInterfaces.Tasks;

/// <summary>
/// The tasks row mapping, the only one: a <c>tasks</c> row's columns in order and how a row reads into a <see cref="TaskRecord"/>. The
/// task store (Grains) and the API's task queries (ApiHost) share nothing else that knows the record, so it lives here,
/// on ADO.NET's base reader, with no database client of its own.
/// </summary>
public static class TaskRows
{
    /// <summary>The columns of <see cref="TaskRecord"/>, in the order <see cref="Read"/> expects.</summary>
    public const string Columns =
        "id, user_id, title, description, task_type, priority, estimated_duration, config, result, error_message, status, " +
        "progress, gpu_server_id, attempt, lost_runs, hold_key, hold_amount, price, cost, timeout_seconds, idempotency_key, " +
        "assigned_at, started_at, completed_at, created_at, updated_at, deleted_at, version";

    /// <summary>The row under the reader, selected as <see cref="Columns"/>.</summary>
    public static TaskRecord Read(DbDataReader r) => new(
        Id: r.GetGuid(0),
        UserId: r.GetGuid(1),
        Title: r.GetString(2),
        Description: r.IsDBNull(3) ? null : r.GetString(3),
        TaskType: r.GetString(4),
        Priority: r.GetInt32(5),
        EstimatedDuration: r.IsDBNull(6) ? null : r.GetInt32(6),
        ConfigJson: r.GetString(7),
        ResultJson: r.IsDBNull(8) ? null : r.GetString(8),
        ErrorMessage: r.IsDBNull(9) ? null : r.GetString(9),
        Status: r.GetString(10),
        Progress: r.GetDouble(11),
        GpuServerId: r.IsDBNull(12) ? null : r.GetGuid(12),
        Attempt: r.GetInt32(13),
        LostRuns: r.GetInt32(14),
        HoldKey: r.GetString(15),
        HoldAmount: r.GetDecimal(16),
        Price: r.GetDecimal(17),
        Cost: r.GetDecimal(18),
        TimeoutSeconds: r.GetInt32(19),
        IdempotencyKey: r.IsDBNull(20) ? null : r.GetString(20),
        AssignedAt: r.IsDBNull(21) ? null : r.GetDateTime(21),
        StartedAt: r.IsDBNull(22) ? null : r.GetDateTime(22),
        CompletedAt: r.IsDBNull(23) ? null : r.GetDateTime(23),
        CreatedAt: r.GetDateTime(24),
        UpdatedAt: r.GetDateTime(25),
        DeletedAt: r.IsDBNull(26) ? null : r.GetDateTime(26),
        Version: r.GetInt64(27));

    /// <summary>The row under the reader as the API shows it.</summary>
    public static TaskView ReadView(DbDataReader r) => Read(r).ToView();
}
