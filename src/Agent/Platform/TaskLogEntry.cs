namespace OwlFactory.Agent.Platform;

/// <summary>One line of <c>/logs</c>: <c>{"ts": "…Z", "level": "INFO", "message": "…"}</c>.</summary>
internal sealed record TaskLogEntry(DateTime Ts, string Level, string Message);
