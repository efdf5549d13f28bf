namespace OwlFactory.Agent.Platform;

/// <summary>The platform's answer envelope: <c>{success, message, data, error_code}</c>.</summary>
internal sealed record ApiEnvelope<T>(bool Success, string? Message, T? Data, string? ErrorCode);
