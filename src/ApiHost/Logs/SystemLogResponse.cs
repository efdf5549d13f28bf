namespace OwlFactory.ApiHost.Logs;

public sealed record SystemLogResponse(long Id, DateTime Timestamp, string Level, string Logger, int EventId, string Message, string? Exception, string Process);
