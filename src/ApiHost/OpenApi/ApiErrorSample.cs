using OwlFactory.ApiHost.Http;

namespace OwlFactory.ApiHost.OpenApi;

/// <summary>One error answer as the API sends it: status, error code, message and details.</summary>
internal sealed record ApiErrorSample(int Status, string Name, string Code, string Message, object Details)
{
    private static readonly Dictionary<string, object> NoDetails = [];

    public ApiErrorEnvelope Envelope => new(false, Message, null, Code, Details);

    public static readonly ApiErrorSample Unauthorized = new(401, "invalid_credentials", ErrorCodes.InvalidCredentials, "Invalid or missing credentials", NoDetails);
    public static readonly ApiErrorSample Forbidden = new(403, "access_denied", ErrorCodes.AccessDenied, "Access denied", NoDetails);
    public static readonly ApiErrorSample NotFound = new(404, "not_found", ErrorCodes.ResourceNotFound, "Task not found", NoDetails);
    public static readonly ApiErrorSample Validation = new(422, "validation_error", ErrorCodes.ValidationError, "Request validation failed",
        new { field_errors = new Dictionary<string, string[]> { ["email"] = ["must be a valid email address"], ["password"] = ["must be 6-128 characters"] } });
    public static readonly ApiErrorSample Unavailable = new(503, "server_unavailable", ErrorCodes.ServerUnavailable, "The service is temporarily unavailable; try again", NoDetails);
    public static readonly ApiErrorSample BadLogin = new(401, "bad_login", ErrorCodes.InvalidCredentials, "Invalid email or password", NoDetails);
    public static readonly ApiErrorSample Deactivated = new(403, "deactivated", ErrorCodes.AccessDenied, "The account is deactivated", NoDetails);
    public static readonly ApiErrorSample RateLimited = new(429, "rate_limited", ErrorCodes.RateLimited, "Too many attempts; try again later", new { retry_after_seconds = 42 });
    public static readonly ApiErrorSample EmailTaken = new(409, "email_taken", ErrorCodes.ResourceConflict, "Email is already registered", new { field = "email" });
    public static readonly ApiErrorSample UsernameTaken = new(409, "username_taken", ErrorCodes.ResourceConflict, "Username is already taken", new { field = "username" });
    public static readonly ApiErrorSample NameTaken = new(409, "name_taken", ErrorCodes.ResourceConflict, "A server with this name exists", new { field = "name" });
    public static readonly ApiErrorSample InsufficientBalance = new(400, "insufficient_balance", ErrorCodes.InsufficientBalance,
        "The available balance does not cover the task's hold", new { required = 6.00m, available = 2.50m });
    public static readonly ApiErrorSample TaskLimit = new(429, "task_limit_exceeded", ErrorCodes.TaskLimitExceeded, "At most 5 tasks may be pending or running at once", NoDetails);
    public static readonly ApiErrorSample Maintenance = new(503, "maintenance", ErrorCodes.ServerUnavailable, "系统维护中，请稍后再试", new { maintenance = true });
    public static readonly ApiErrorSample InvalidState = new(409, "invalid_state", ErrorCodes.InvalidState, "The task is completed; that action is not allowed now", new { status = "completed" });
    public static readonly ApiErrorSample BadCode = new(400, "invalid_recharge_code", ErrorCodes.InvalidRechargeCode, "The code is used up", new { reason = "used_up" });
    public static readonly ApiErrorSample ServerBusy = new(409, "server_busy", ErrorCodes.InvalidState, "The server is running tasks", NoDetails);
    public static readonly ApiErrorSample SelfChange = new(409, "self_change", ErrorCodes.InvalidState, "You cannot deactivate or demote yourself", NoDetails);
    public static readonly ApiErrorSample NotReady = new(503, "not_ready", ErrorCodes.ServerUnavailable, "Not ready",
        new { status = "not_ready", database = "ok", cluster = "unavailable", active_silos = 0 });
}
