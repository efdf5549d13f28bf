using System.Reflection;
using System.Runtime.ExceptionServices;
using Orleans.Runtime.Messaging;
using OwlFactory.GrainInterfaces;

namespace OwlFactory.ApiHost.Cluster;

/// <summary>
/// Masks a lost silo from HTTP clients: a grain call that fails because its silo (or its gateway) went away, or
/// because its activation moved, is sent again with a short backoff until it succeeds or its time budget is spent.
/// Every method is retried unless it is marked <see cref="NotIdempotentAttribute"/>; those are retried only after a
/// failure that proves the call never left this client. Business results are never retried; a timed-out call is retried like
/// one whose silo went away (only when idempotent, and only within the budget).
/// </summary>
internal sealed partial class GrainCallRetryFilter(ILogger<GrainCallRetryFilter> logger, TimeProvider clock) : IOutgoingGrainCallFilter
{
    /// <summary>How long one grain call may keep retrying: under the front door's and clients' usual 10 s patience.</summary>
    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(800);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var started = clock.GetTimestamp();
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            Exception? failure;
            try
            {
                await context.Invoke();
                failure = context.Response?.Exception;
            }
            catch (Exception e)
            {
                failure = e;
            }

            if (failure is null)
            {
                return;
            }

            var kind = Classify(failure);
            var retry = kind == FailureKind.NeverSent
                || (kind == FailureKind.SiloLost && context.InterfaceMethod?.GetCustomAttribute<NotIdempotentAttribute>() is null);
            if (!retry || clock.GetElapsedTime(started) + delay > Budget)
            {
                if (attempt > 1)
                {
                    LogGaveUp(context.InterfaceName, context.MethodName, attempt, failure.GetType().Name);
                }

                if (context.Response?.Exception is null)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }

                return;
            }

            var (type, reason) = (failure.GetType().Name, failure.Message);
            LogRetry(context.InterfaceName, context.MethodName, attempt, type, reason);
            await Task.Delay(delay, clock);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    /// <summary>What a failure says about the call: never sent, possibly run on a silo now gone, or not retryable.</summary>
    internal static FailureKind Classify(Exception exception) => exception switch
    {
        // No connection to any gateway, or the gateway refused the message before it went anywhere.
        ConnectionFailedException or GatewayTooBusyException => FailureKind.NeverSent,
        // The silo holding the call (or the gateway relaying it) died or was declared dead while the call was out,
        // or the message was rejected on its way because the target's directory entry pointed at a silo now gone.
        SiloUnavailableException or OrleansMessageRejectionException => FailureKind.SiloLost,
        // No answer in time: most often the call was inside a silo that was killed. It may also have run, slowly,
        // so only an idempotent call is sent again.
        TimeoutException => FailureKind.SiloLost,
        // The message expired before its placement completed (the directory or placement it waited on was on a silo
        // that died). The API host passes no cancellation token into grain calls, so this is the cluster's, never
        // the client's; it is treated like a lost silo.
        OperationCanceledException => FailureKind.SiloLost,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Classify(aggregate.InnerExceptions[0]),
        _ => FailureKind.Other,
    };

    internal enum FailureKind
    {
        Other,
        NeverSent,
        SiloLost,
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug,
        Message = "Grain call {Interface}.{Method} failed on attempt {Attempt} ({ExceptionType}: {Reason}); retrying")]
    private partial void LogRetry(string @interface, string method, int attempt, string exceptionType, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "Grain call {Interface}.{Method} still failed after {Attempts} attempts ({ExceptionType}); giving up")]
    private partial void LogGaveUp(string @interface, string method, int attempts, string exceptionType);
}
