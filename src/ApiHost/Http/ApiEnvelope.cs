namespace OwlFactory.ApiHost.Http;

/// <summary>The success envelope every endpoint answers with: <c>{success, message, data, error_code}</c>.</summary>
public sealed record ApiEnvelope<T>(bool Success, string Message, T? Data, string? ErrorCode);
