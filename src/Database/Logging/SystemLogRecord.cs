namespace OwlFactory.Database.Logging;

/// <summary>One log record on its way to <c>system_logs</c>. <c>Level</c> is the contract's name (INFO, WARNING…).</summary>
public sealed record SystemLogRecord(DateTime Ts, string Level, string Category, int EventId, string Message, string? Exception);
