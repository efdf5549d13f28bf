namespace OwlFactory.Agent.Configuration;

internal static class ExecutorNames
{
    /// <summary>The built-in executor every agent has.</summary>
    public const string Test = "test";
}
