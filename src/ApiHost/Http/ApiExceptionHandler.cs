using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// Maps every exception that escapes an endpoint to an envelope: bad input to 422, an oversized body to 413, the
/// cluster or the database being unreachable to 503, anything else to 500 with a log record. No stack trace leaves.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        var result = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                ApiResults.Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, "Request body is too large"),
            BadHttpRequestException bad => ApiResults.Validation(FieldOf(bad), Describe(bad)),
            JsonException json => ApiResults.Validation(FieldOf(json), "Malformed JSON or a value of the wrong type"),
            _ when IsUnavailable(exception) =>
                ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServerUnavailable,
                    "The service is temporarily unavailable; try again shortly"),
            _ => null,
        };

        if (result is null)
        {
            LogUnhandled(httpContext.Request.Method, httpContext.Request.Path, exception);
            result = ApiResults.Error(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "Internal server error");
        }
        else if (result.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            LogUnavailable(httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>
    /// Faults of the infrastructure rather than of the request: a silo gone, a timeout, PostgreSQL down, or a client
    /// that has not reached any silo yet (it then knows no grain types, and resolving a grain interface fails).
    /// </summary>
    internal static bool IsUnavailable(Exception exception) => exception switch
    {
        OrleansException or TimeoutException or NpgsqlException or SocketException => true,
        ArgumentException when exception.TargetSite?.DeclaringType?.Name == "GrainInterfaceTypeToGrainTypeResolver" => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };

    private static string FieldOf(Exception exception)
    {
        var json = exception as JsonException ?? exception.InnerException as JsonException;
        var path = json?.Path;
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }

    private static string Describe(BadHttpRequestException exception) => exception.InnerException switch
    {
        JsonException => "Malformed JSON or a value of the wrong type",
        _ when exception.StatusCode == StatusCodes.Status415UnsupportedMediaType => "Content-Type must be application/json",
        _ => exception.Message,
    };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private partial void LogUnhandled(string method, string path, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Answered 503 on {Method} {Path}: {ExceptionType}: {Reason}")]
    private partial void LogUnavailable(string method, string path, string exceptionType, string reason);
}
