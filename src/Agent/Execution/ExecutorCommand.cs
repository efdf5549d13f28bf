using OwlFactory.Agent.Configuration;

namespace OwlFactory.Agent.Execution;

/// <summary>A command line to run as a child process, without a shell.</summary>
internal sealed record ExecutorCommand(
    string Command,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    public static ExecutorCommand From(ExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ExecutorCommand(
            options.Command,
            [.. options.Args],
            string.IsNullOrWhiteSpace(options.WorkingDirectory) ? null : options.WorkingDirectory,
            new Dictionary<string, string>(options.Env, StringComparer.Ordinal));
    }
}
