namespace OwlFactory.ApiHost.Fleet;

public sealed record TaskProgressResponse(Guid TaskId, double Progress);
