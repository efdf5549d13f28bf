namespace OwlFactory.Agent.Execution;

internal enum TaskOutcomeKind
{
    Completed,
    Failed,
    TimedOut,
    Cancelled,
}
