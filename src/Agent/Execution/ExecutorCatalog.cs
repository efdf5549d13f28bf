using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;

namespace OwlFactory.Agent.Execution;

/// <summary>The task types this agent can run, and how to run each.</summary>
internal sealed class ExecutorCatalog
{
    private readonly Dictionary<string, ExecutorCommand> _commands;
    private readonly TimeSpan _testDuration;

    public ExecutorCatalog(IOptions<AgentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _commands = value.Executors
            .Where(e => !string.Equals(e.Key, ExecutorNames.Test, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => e.Key.ToLowerInvariant(), e => ExecutorCommand.From(e.Value), StringComparer.OrdinalIgnoreCase);
        _testDuration = TimeSpan.FromSeconds(value.TestDurationSeconds);
        TaskTypes = [ExecutorNames.Test, .. _commands.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>"test" first, then the configured types: what heartbeats announce.</summary>
    public IReadOnlyList<string> TaskTypes { get; }

    /// <summary>The execution for a task, or null when this agent has no executor for its type.</summary>
    public ITaskExecution? Create(TaskLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.TaskType == ExecutorNames.Test)
        {
            return new BuiltInTestExecution(launch, _testDuration);
        }

        return _commands.TryGetValue(launch.TaskType, out var command) ? new TaskProcess(command, launch) : null;
    }
}
