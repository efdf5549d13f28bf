namespace OwlFactory.ApiHost.Fleet;

/// <summary>The only answers that show an agent token: creation and rotation.</summary>
public sealed record ServerCreatedResponse(ServerResponse Server, string AgentToken);
