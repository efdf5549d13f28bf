namespace OwlFactory.Agent.Configuration;

/// <summary>Where the JSON config file is: <c>--config PATH</c>, else <c>OWL_AGENT_CONFIG</c>, else the default path.</summary>
/// <param name="Path">The file's path.</param>
/// <param name="IsExplicit">True when the operator named it, so a missing file is an error rather than "no file".</param>
internal sealed record AgentConfigFile(string Path, bool IsExplicit)
{
    public const string DefaultPath = "/etc/owl-agent/agent.json";
    public const string EnvironmentVariable = "OWL_AGENT_CONFIG";

    public static AgentConfigFile Resolve(IReadOnlyList<string> args, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Count)
            {
                return new AgentConfigFile(args[i + 1], true);
            }

            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                return new AgentConfigFile(args[i]["--config=".Length..], true);
            }
        }

        var fromEnvironment = getEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment)
            ? new AgentConfigFile(DefaultPath, false)
            : new AgentConfigFile(fromEnvironment, true);
    }
}
