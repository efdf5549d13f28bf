using Microsoft.AspNetCore.Http.HttpResults;

namespace OwlFactory.ApiHost.Http;

/// <summary>The one place that turns outcomes into envelopes and status codes.</summary>
public static class ApiResults
{
    public const string OkMessage = "ok";

    public static JsonHttpResult<ApiEnvelope<T>> Ok<T>(T data, string message = OkMessage)
        => TypedResults.Json(new ApiEnvelope<T>(true, message, data, null));

    public static JsonHttpResult<ApiEnvelope<T>> Created<T>(T data, string message = "created")
        => TypedResults.Json(new ApiEnvelope<T>(true, message, data, null), statusCode: StatusCodes.Status201Created);

    public static JsonHttpResult<ApiErrorEnvelope> Error(int status, string errorCode, string message, object? details = null)
        => TypedResults.Json(new ApiErrorEnvelope(false, message, null, errorCode, details ?? new Dictionary<string, object>()), statusCode: status);

    public static JsonHttpResult<ApiErrorEnvelope> NotFound(string what = "Resource")
        => Error(StatusCodes.Status404NotFound, ErrorCodes.ResourceNotFound, $"{what} not found");

    public static JsonHttpResult<ApiErrorEnvelope> Conflict(string message, string? field = null)
        => Error(StatusCodes.Status409Conflict, ErrorCodes.ResourceConflict, message,
            field is null ? null : new { field });

    public static JsonHttpResult<ApiErrorEnvelope> Validation(IDictionary<string, string[]> fieldErrors)
        => Error(StatusCodes.Status422UnprocessableEntity, ErrorCodes.ValidationError, "Request validation failed",
            new { field_errors = fieldErrors });

    public static JsonHttpResult<ApiErrorEnvelope> Validation(string field, string error)
        => Validation(new Dictionary<string, string[]> { [field] = [error] });

    public static JsonHttpResult<ApiErrorEnvelope> InvalidCredentials(string message = "Invalid or missing credentials")
        => Error(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidCredentials, message);

    public static JsonHttpResult<ApiErrorEnvelope> AccessDenied(string message = "Access denied")
        => Error(StatusCodes.Status403Forbidden, ErrorCodes.AccessDenied, message);

    public static JsonHttpResult<ApiErrorEnvelope> TooManyStreams(int maxStreams)
        => Error(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many open streams; close one first",
            new { max_streams = maxStreams });

    public static JsonHttpResult<ApiErrorEnvelope> RateLimited(int retryAfterSeconds)
        => Error(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many attempts; try again later",
            new { retry_after_seconds = retryAfterSeconds });
}
