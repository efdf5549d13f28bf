namespace OwlFactory.Agent.Configuration;

/// <summary>
/// The agent's settings, read from the JSON config file, then <c>OWL_AGENT_*</c> environment variables, then the
/// command line (each overriding the one before). Keys are snake_case, as in the platform's JSON.
/// </summary>
internal sealed class AgentOptions
{
    /// <summary>Base address of the platform's API, e.g. <c>https://owl.example.com</c>.</summary>
    [ConfigurationKeyName("api_url")]
    public string ApiUrl { get; set; } = "";

    /// <summary>The server's agent token, shown once when the admin created (or rotated) it.</summary>
    [ConfigurationKeyName("token")]
    public string Token { get; set; } = "";

    /// <summary>Seconds between plain heartbeats until the platform's answer says otherwise.</summary>
    [ConfigurationKeyName("heartbeat_interval_seconds")]
    public int HeartbeatIntervalSeconds { get; set; } = 5;

    /// <summary>How long a heartbeat sent with a free slot asks the platform to hold it open (0–30; 0 = no long poll).</summary>
    [ConfigurationKeyName("long_poll_seconds")]
    public int LongPollSeconds { get; set; } = 20;

    /// <summary>Number of simulated GPUs; 0 reads the real ones through nvidia-smi.</summary>
    [ConfigurationKeyName("simulate_gpus")]
    public int SimulateGpus { get; set; }

    /// <summary>
    /// How many running tasks make this agent full, i.e. stop long-polling for more; 0 = one per GPU (at least 1).
    /// Assignments beyond it are still run (the platform's <c>max_concurrent_tasks</c> decides), sharing the least
    /// loaded GPU.
    /// </summary>
    [ConfigurationKeyName("max_concurrent_tasks")]
    public int MaxConcurrentTasks { get; set; }

    /// <summary>How long the built-in <c>test</c> executor takes to count to 100, unless a task's config says otherwise.</summary>
    [ConfigurationKeyName("test_duration_seconds")]
    public double TestDurationSeconds { get; set; } = 5;

    /// <summary>The nvidia-smi binary (a name on PATH or a full path).</summary>
    [ConfigurationKeyName("nvidia_smi_path")]
    public string NvidiaSmiPath { get; set; } = "nvidia-smi";

    /// <summary>
    /// External executors by task type (case-insensitive: environment variables arrive upper-case; the agent
    /// announces them lower-case, as the platform names task types). <c>test</c> is built in and cannot be replaced.
    /// </summary>
    [ConfigurationKeyName("executors")]
    public Dictionary<string, ExecutorOptions> Executors { get; } = new(StringComparer.OrdinalIgnoreCase);
}
