namespace OwlFactory.Agent.Supervision;

internal enum StopReason
{
    None,

    /// <summary>Listed in a heartbeat's <c>cancel</c>.</summary>
    CancelledByPlatform,

    /// <summary>A task call answered 404/409.</summary>
    Gone,

    /// <summary>The agent is stopping.</summary>
    Shutdown,
}
