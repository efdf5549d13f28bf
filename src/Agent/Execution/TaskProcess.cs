using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OwlFactory.Agent.Execution;

/// <summary>
/// Runs an external executor as a child process and speaks the executor protocol with it: the task's config on
/// stdin and in <c>OWL_TASK_CONFIG</c>; <c>OWL_PROGRESS</c>/<c>OWL_RESULT</c> lines on stdout; other lines are logs.
/// </summary>
internal sealed class TaskProcess(ExecutorCommand command, TaskLaunch launch) : ITaskExecution
{
    public const int StderrTailLines = 20;
    public const int MaxLineLength = 16 * 1024;
    /// <summary>Variables of the agent itself (its token among them) that a child must not see.</summary>
    public const string AgentEnvironmentPrefix = "OWL_AGENT_";

    // After the child exits, its pipes are read to the end; a grandchild that escaped the tree could hold them open.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(5);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public async Task<TaskOutcome> RunAsync(ITaskObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (cancellationToken.IsCancellationRequested)
        {
            return TaskOutcome.Cancelled();
        }

        using var process = new Process { StartInfo = CreateStartInfo() };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            return TaskOutcome.Failed($"could not start executor '{command.Command}': {ex.Message}");
        }

        observer.OnStarted();
        var output = new ChildOutput(observer);
        var stdin = WriteConfigAsync(process.StandardInput, launch.ConfigJson);
        var stdout = PumpAsync(process.StandardOutput, output.OnStdout);
        var stderr = PumpAsync(process.StandardError, output.OnStderr);
        var pumps = Task.WhenAll(stdin, stdout, stderr);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await WaitQuietlyAsync(process.WaitForExitAsync(CancellationToken.None), KillTimeout);
            await WaitQuietlyAsync(pumps, DrainTimeout);
            return TaskOutcome.Cancelled();
        }

        await WaitQuietlyAsync(pumps, DrainTimeout);
        var exitCode = process.ExitCode;
        return exitCode == 0
            ? TaskOutcome.Completed(output.Result ?? new JsonObject(), exitCode)
            : TaskOutcome.Failed(FailureMessage.ForExitCode(exitCode, output.Stderr.Lines()), exitCode);
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(command.Command)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (command.WorkingDirectory is not null)
        {
            info.WorkingDirectory = command.WorkingDirectory;
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith(AgentEnvironmentPrefix, StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in command.Environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["OWL_TASK_ID"] = launch.TaskId;
        info.Environment["OWL_TASK_TYPE"] = launch.TaskType;
        info.Environment["OWL_TASK_ATTEMPT"] = launch.Attempt.ToString(CultureInfo.InvariantCulture);
        info.Environment["OWL_TASK_CONFIG"] = launch.ConfigJson;
        // An empty value hides every GPU, which is right for an agent that has none to give.
        info.Environment["CUDA_VISIBLE_DEVICES"] = launch.GpuIndex?.ToString(CultureInfo.InvariantCulture) ?? "";
        return info;
    }

    private static async Task WriteConfigAsync(StreamWriter stdin, string configJson)
    {
        try
        {
            await stdin.WriteAsync(configJson);
            await stdin.FlushAsync();
        }
        catch (IOException)
        {
            // The child exited (or closed stdin) without reading its config: that is its business.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
                // Closing flushes; a broken pipe here means the same as above.
            }
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                onLine(line.Length > MaxLineLength ? line[..MaxLineLength] + "…" : line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // It exited in the meantime.
        }
    }

    private static async Task WaitQuietlyAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Bounded on purpose: a stuck pipe must not keep the task (and its GPU) forever.
        }
    }

    /// <summary>The state built from a child's output: the progress so far, the result, the end of stderr.</summary>
    private sealed class ChildOutput(ITaskObserver observer)
    {
        private double _progress = -1;

        public StderrTail Stderr { get; } = new(StderrTailLines);

        public JsonObject? Result { get; private set; }

        // stdout is read by one pump, so its state needs no lock.
        public void OnStdout(string line)
        {
            var parsed = OutputLine.Parse(line);
            switch (parsed.Kind)
            {
                case OutputLineKind.Progress:
                    if (parsed.Progress > _progress)
                    {
                        _progress = parsed.Progress;
                        observer.OnProgress(parsed.Progress);
                    }

                    break;
                case OutputLineKind.Result:
                    Result = parsed.Result;
                    break;
                case OutputLineKind.InvalidResult:
                    observer.OnLog(TaskLogLine.Now(TaskLogLevel.Error, $"invalid OWL_RESULT ignored ({parsed.Error}): {parsed.Text}"));
                    break;
                default:
                    observer.OnLog(TaskLogLine.Now(TaskLogLevel.Info, parsed.Text));
                    break;
            }
        }

        public void OnStderr(string line)
        {
            var text = line.TrimEnd('\r');
            Stderr.Add(text);
            observer.OnLog(TaskLogLine.Now(TaskLogLevel.Error, text));
        }
    }
}
