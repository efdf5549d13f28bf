using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Fleet;

/// <summary>An agent's heartbeat, as agent-protocol.md defines it. Memory in GiB, usage in percent.</summary>
public sealed record HeartbeatRequest : IValidatableObject
{
    /// <summary>The most memory one GPU may report, in GiB.</summary>
    public const double MaxGpuMemory = 4096;

    [MaxLength(50, ErrorMessage = "must be at most 50 characters")]
    public string? AgentVersion { get; init; }

    [MaxLength(64, ErrorMessage = "must list at most 64 task types")]
    public List<string>? TaskTypes { get; init; }

    [Range(0d, 100d, ErrorMessage = "must be between 0 and 100")]
    public double CpuUsage { get; init; }

    [Range(0d, 100d, ErrorMessage = "must be between 0 and 100")]
    public double MemoryUsage { get; init; }

    [MaxLength(64, ErrorMessage = "must list at most 64 GPUs")]
    public List<HeartbeatGpu>? Gpus { get; init; }

    [MaxLength(1024, ErrorMessage = "must list at most 1024 tasks")]
    public List<HeartbeatTask>? RunningTasks { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (type, i) in (TaskTypes ?? []).Select((t, i) => (t, i)))
        {
            if (string.IsNullOrWhiteSpace(type) || type.Length > 64)
            {
                yield return new ValidationResult("must be 1-64 characters", [$"TaskTypes[{i}]"]);
            }
        }

        foreach (var (gpu, i) in (Gpus ?? []).Select((g, i) => (g, i)))
        {
            if (gpu.Usage is < 0 or > 100)
            {
                yield return new ValidationResult("must be between 0 and 100", [$"Gpus[{i}].Usage"]);
            }

            if (gpu is null)
            {
                yield return new ValidationResult("must be an object", [$"Gpus[{i}]"]);
                continue;
            }

            if (gpu.MemoryUsed < 0 || gpu.MemoryTotal < 0 || gpu.MemoryTotal > MaxGpuMemory || gpu.MemoryUsed > gpu.MemoryTotal + 0.01)
            {
                yield return new ValidationResult("memory must be 0-4096 GiB and used ≤ total", [$"Gpus[{i}].MemoryUsed"]);
            }

            if (gpu.Temperature is < -50 or > 200)
            {
                yield return new ValidationResult("must be between -50 and 200 (°C)", [$"Gpus[{i}].Temperature"]);
            }

            if (gpu.Name is { Length: > 128 })
            {
                yield return new ValidationResult("must be at most 128 characters", [$"Gpus[{i}].Name"]);
            }
        }

        foreach (var (task, i) in (RunningTasks ?? []).Select((t, i) => (t, i)))
        {
            if (task is null)
            {
                yield return new ValidationResult("must be an object", [$"RunningTasks[{i}]"]);
                continue;
            }

            if (task.Progress is < 0 or > 100)
            {
                yield return new ValidationResult("must be between 0 and 100", [$"RunningTasks[{i}].Progress"]);
            }
        }
    }
}
