namespace OwlFactory.Agent.Platform;

internal sealed record LogsRequest(IReadOnlyList<TaskLogEntry> Lines);
