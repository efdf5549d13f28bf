namespace OwlFactory.Agent.Execution;

internal enum TaskLogLevel
{
    Info,
    Warning,
    Error,
}
