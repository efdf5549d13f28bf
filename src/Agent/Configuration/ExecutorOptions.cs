namespace OwlFactory.Agent.Configuration;

/// <summary>How to run one task type: a command started as a child process, without a shell.</summary>
internal sealed class ExecutorOptions
{
    /// <summary>The program to run (a full path, or a name looked up on PATH).</summary>
    [ConfigurationKeyName("command")]
    public string Command { get; set; } = "";

    /// <summary>Its arguments, passed one by one (no shell quoting involved).</summary>
    [ConfigurationKeyName("args")]
    public List<string> Args { get; } = [];

    /// <summary>The working directory; the agent's own when not set.</summary>
    [ConfigurationKeyName("working_directory")]
    public string? WorkingDirectory { get; set; }

    /// <summary>Extra environment variables. The agent's <c>OWL_TASK_*</c> and <c>CUDA_VISIBLE_DEVICES</c> win over these.</summary>
    [ConfigurationKeyName("env")]
    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);
}
