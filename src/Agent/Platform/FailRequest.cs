namespace OwlFactory.Agent.Platform;

internal sealed record FailRequest(string ErrorMessage);
