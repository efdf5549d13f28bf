using System.Text.Json.Nodes;

namespace OwlFactory.ApiHost.Logs;

public sealed record UserActionResponse(long Id, Guid? UserId, string Action, JsonNode? Details, string? IpAddress, string? UserAgent, DateTime CreatedAt);
