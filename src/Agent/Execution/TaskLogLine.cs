namespace OwlFactory.Agent.Execution;

/// <summary>One line for the task's log; <see cref="Timestamp"/> is when the agent saw it (UTC).</summary>
internal readonly record struct TaskLogLine(DateTime Timestamp, TaskLogLevel Level, string Message)
{
    public static TaskLogLine Now(TaskLogLevel level, string message) => new(DateTime.UtcNow, level, message);
}
