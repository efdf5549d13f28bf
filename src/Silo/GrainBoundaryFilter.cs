using System.Data.Common;
using System.Net.Sockets;
using Npgsql;
using OwlFactory.Database;
using OwlFactory.GrainInterfaces;

namespace OwlFactory.Silo;

/// <summary>
/// The grains' boundary: a database exception thrown inside a grain method has no Orleans codec, so the caller would
/// get a serializer failure instead of an answer. It is logged here with a correlation id and replaced by a
/// <see cref="GrainFaultException"/> that crosses the cluster and says whether the database was unreachable.
/// </summary>
internal sealed partial class GrainBoundaryFilter(ILogger<GrainBoundaryFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (Find<DbException>(exception) is not null)
        {
            var correlationId = Guid.NewGuid().ToString("N")[..16];
            var unavailable = IsUnavailable(exception);
            LogFault(correlationId, context.InterfaceName, context.MethodName, unavailable, exception);
            throw new GrainFaultException(correlationId, unavailable,
                unavailable ? "The database is unavailable" : "Unexpected error inside a grain");
        }
    }

    /// <summary>A connection that failed or broke, a timeout, or a server that is shutting down or overloaded.</summary>
    internal static bool IsUnavailable(Exception exception)
        => Find<NpgsqlException>(exception) is { } npgsql
            ? npgsql is not PostgresException postgres || DatabaseFaults.IsUnavailable(postgres)
            : Find<SocketException>(exception) is not null || Find<TimeoutException>(exception) is not null;

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }

            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(f => f is not null);
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error,
        Message = "Grain call {Interface}.{Method} failed on the database (correlation id {CorrelationId}, unavailable: {Unavailable})")]
    private partial void LogFault(string correlationId, string @interface, string method, bool unavailable, Exception exception);
}
