using System.Reflection;

namespace OwlFactory.Agent;

internal static class AgentInfo
{
    /// <summary>The agent's version as sent in heartbeats (the assembly's, without the source revision).</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var version = typeof(AgentInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
