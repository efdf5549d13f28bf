using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using OwlFactory.ApiHost.Input;
using OwlFactory.Database;
using OwlFactory.GrainInterfaces;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// Maps every exception that escapes an endpoint to an envelope: bad input to 422 with the field in plain words, an
/// oversized body to 413, the cluster or the database being unreachable to 503, anything else to 500 with a
/// correlation id that the system log carries too. No stack trace or .NET type name leaves.
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
            BadHttpRequestException bad => ApiResults.Validation(BindingErrors.Describe(bad, httpContext.Request)),
            JsonException json => ApiResults.Validation(BindingErrors.Describe(json)),
            _ when IsUnavailable(exception) =>
                ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServerUnavailable,
                    "The service is temporarily unavailable; try again shortly"),
            _ => null,
        };

        if (result is null)
        {
            var correlationId = (exception as GrainFaultException)?.CorrelationId is { Length: > 0 } fromSilo
                ? fromSilo
                : httpContext.TraceIdentifier;
            LogUnhandled(httpContext.Request.Method, httpContext.Request.Path, correlationId, exception);
            result = ApiResults.Error(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "Internal server error",
                new { correlation_id = correlationId });
        }
        else if (result.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            LogUnavailable(httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>
    /// Faults of the infrastructure rather than of the request: a silo gone, a timeout, PostgreSQL unreachable (but not
    /// a statement it refused: that is a bug, a 500), a grain that could not reach the database, or a client that has
    /// not reached any silo yet (it then knows no grain types, and resolving a grain interface fails).
    /// </summary>
    internal static bool IsUnavailable(Exception exception) => exception switch
    {
        GrainFaultException fault => fault.Unavailable,
        PostgresException postgres => DatabaseFaults.IsUnavailable(postgres),
        OrleansException or TimeoutException or NpgsqlException or SocketException => true,
        ArgumentException when exception.TargetSite?.DeclaringType?.Name == "GrainInterfaceTypeToGrainTypeResolver" => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path} (correlation id {CorrelationId})")]
    private partial void LogUnhandled(string method, string path, string correlationId, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Answered 503 on {Method} {Path}: {ExceptionType}: {Reason}")]
    private partial void LogUnavailable(string method, string path, string exceptionType, string reason);
}
