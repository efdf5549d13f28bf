namespace OwlFactory.Agent.Platform;

/// <summary>
/// An API call's answer: what to do about it, the HTTP status (when an answer came) and, for logs, the platform's
/// error_code or message or the transport error.
/// </summary>
internal readonly record struct ApiCallResult(ApiCallStatus Status, int? HttpStatus = null, string? Detail = null)
{
    public bool IsRetryable => Status is ApiCallStatus.Unavailable or ApiCallStatus.Unauthorized;

    public override string ToString() => HttpStatus is { } code ? $"{Status} (HTTP {code}{(Detail is null ? "" : ", " + Detail)})" : $"{Status} ({Detail})";
}
