namespace OwlFactory.Agent.Execution;

/// <summary>One task to run, as handed to an executor.</summary>
/// <param name="TaskId">The platform's task id.</param>
/// <param name="TaskType">The task type, which picked the executor.</param>
/// <param name="Attempt">1 for the first run, more after retries.</param>
/// <param name="ConfigJson">The task's config, a JSON object as text.</param>
/// <param name="GpuIndex">The GPU it runs on (its nvidia-smi index), or null where the agent has none.</param>
internal sealed record TaskLaunch(string TaskId, string TaskType, int Attempt, string ConfigJson, int? GpuIndex);
