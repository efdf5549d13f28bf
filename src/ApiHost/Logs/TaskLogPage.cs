using OwlFactory.ApiHost.Tasks;

namespace OwlFactory.ApiHost.Logs;

/// <summary>A page of a task's log; pass <c>next_after</c> as <c>after</c> for the next page.</summary>
public sealed record TaskLogPage(List<TaskLogResponse> Items, long NextAfter, bool HasMore);
