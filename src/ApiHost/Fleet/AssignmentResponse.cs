using System.Text.Json.Nodes;

namespace OwlFactory.ApiHost.Fleet;

public sealed record AssignmentResponse(Guid TaskId, string TaskType, string Title, JsonNode? Config, int Attempt, int TimeoutSeconds);
