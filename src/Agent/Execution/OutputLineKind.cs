namespace OwlFactory.Agent.Execution;

internal enum OutputLineKind
{
    Log,
    Progress,
    Result,
    InvalidResult,
}
