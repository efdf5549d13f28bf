using Microsoft.AspNetCore.Diagnostics;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// Gives bodiless error responses from the framework (no route, wrong method, failed authentication or
/// authorization) the same envelope as every other error.
/// </summary>
internal static class StatusCodeEnvelopes
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var response = context.HttpContext.Response;
        var result = response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ApiResults.InvalidCredentials(),
            StatusCodes.Status403Forbidden => ApiResults.AccessDenied(),
            StatusCodes.Status404NotFound => ApiResults.NotFound("Route"),
            StatusCodes.Status405MethodNotAllowed =>
                ApiResults.Error(StatusCodes.Status405MethodNotAllowed, ErrorCodes.MethodNotAllowed, "Method not allowed on this route"),
            StatusCodes.Status413PayloadTooLarge =>
                ApiResults.Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, "Request body is too large"),
            StatusCodes.Status503ServiceUnavailable =>
                ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServerUnavailable, "Service unavailable"),
            >= 400 and < 500 => ApiResults.Validation("request", "The request could not be processed"),
            _ => ApiResults.Error(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "Internal server error"),
        };
        return result.ExecuteAsync(context.HttpContext);
    }
}
