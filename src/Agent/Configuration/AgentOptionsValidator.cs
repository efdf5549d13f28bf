using Microsoft.Extensions.Options;

namespace OwlFactory.Agent.Configuration;

/// <summary>Refuses to start with settings that cannot work; the messages name the config keys.</summary>
internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttp && api.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("api_url must be an absolute http(s) URL (--api-url, OWL_AGENT_API_URL or api_url in the config file).");
        }

        if (string.IsNullOrWhiteSpace(options.Token))
        {
            failures.Add("token is not set (--token, OWL_AGENT_TOKEN or token in the config file).");
        }

        if (options.HeartbeatIntervalSeconds is < 1 or > 300)
        {
            failures.Add("heartbeat_interval_seconds must be between 1 and 300.");
        }

        if (options.LongPollSeconds is < 0 or > 30)
        {
            failures.Add("long_poll_seconds must be between 0 and 30.");
        }

        if (options.SimulateGpus is < 0 or > 64)
        {
            failures.Add("simulate_gpus must be between 0 and 64.");
        }

        if (options.MaxConcurrentTasks is < 0 or > 256)
        {
            failures.Add("max_concurrent_tasks must be between 0 and 256.");
        }

        if (options.TestDurationSeconds is < 0 or > 3600 || double.IsNaN(options.TestDurationSeconds))
        {
            failures.Add("test_duration_seconds must be between 0 and 3600.");
        }

        foreach (var (taskType, executor) in options.Executors)
        {
            if (string.Equals(taskType, ExecutorNames.Test, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add("executors.test: 'test' is the built-in executor and cannot be replaced.");
            }
            else if (string.IsNullOrWhiteSpace(executor.Command))
            {
                failures.Add($"executors.{taskType}.command is not set.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
