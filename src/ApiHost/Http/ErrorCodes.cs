namespace OwlFactory.ApiHost.Http;

/// <summary>The error codes of the contract and PRODUCT.md; nothing else is ever sent in <c>error_code</c>.</summary>
public static class ErrorCodes
{
    public const string InvalidCredentials = "INVALID_CREDENTIALS";
    public const string AccessDenied = "ACCESS_DENIED";
    public const string ResourceNotFound = "RESOURCE_NOT_FOUND";
    public const string ValidationError = "VALIDATION_ERROR";
    public const string InsufficientBalance = "INSUFFICIENT_BALANCE";
    public const string TaskLimitExceeded = "TASK_LIMIT_EXCEEDED";
    public const string ServerUnavailable = "SERVER_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";
    public const string ResourceConflict = "RESOURCE_CONFLICT";
    public const string InvalidState = "INVALID_STATE";
    public const string InvalidRechargeCode = "INVALID_RECHARGE_CODE";
    public const string RateLimited = "RATE_LIMITED";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
}
