namespace OwlFactory.Agent.Configuration;

/// <summary>The agent's configuration sources, in order of precedence (last wins).</summary>
internal static class AgentConfigurationSources
{
    public const string EnvironmentPrefix = "OWL_AGENT_";

    /// <summary>The documented flags; any other <c>--snake_key value</c> works too, as the command-line source reads it.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--api-url"] = "api_url",
        ["--token"] = "token",
        ["--simulate-gpus"] = "simulate_gpus",
        ["--long-poll-seconds"] = "long_poll_seconds",
        ["--heartbeat-interval-seconds"] = "heartbeat_interval_seconds",
        ["--max-concurrent-tasks"] = "max_concurrent_tasks",
        ["--config"] = "config",
    };

    public static IConfigurationBuilder AddAgentSources(
        this IConfigurationBuilder builder, AgentConfigFile file, string[] args, bool includeEnvironment = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(file);

        // The file is reloaded when it changes, so an operator who fixes a rotated token needs no restart.
        var fullPath = Path.GetFullPath(file.Path);
        builder.AddJsonFile(fullPath, optional: !file.IsExplicit, reloadOnChange: true);
        if (includeEnvironment)
        {
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        }

        builder.AddCommandLine(args, SwitchMappings.ToDictionary(StringComparer.Ordinal));
        return builder;
    }
}
