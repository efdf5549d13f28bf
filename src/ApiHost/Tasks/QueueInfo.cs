namespace OwlFactory.ApiHost.Tasks;

/// <summary>Why a pending task waits, how many queued tasks are ahead of it (0: next) and its estimated start.</summary>
public sealed record QueueInfo(string Reason, int? Position, DateTime? EstimatedStartAt);
