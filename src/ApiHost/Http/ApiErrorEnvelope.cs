namespace OwlFactory.ApiHost.Http;

/// <summary>The error envelope: the success envelope's fields plus <c>details</c>.</summary>
public sealed record ApiErrorEnvelope(bool Success, string Message, object? Data, string ErrorCode, object Details);
