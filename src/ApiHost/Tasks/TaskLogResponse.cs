namespace OwlFactory.ApiHost.Tasks;

/// <summary>One line of a task's log; <c>id</c> is the cursor for <c>after</c>.</summary>
public sealed record TaskLogResponse(long Id, DateTime Ts, string Level, string Message, string Source);
