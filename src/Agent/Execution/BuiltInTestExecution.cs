using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OwlFactory.Agent.Execution;

/// <summary>
/// The built-in <c>test</c> executor: needs no GPU, counts to 100 over a few seconds, reporting progress and a few
/// log lines, and completes with a small result. A task's config may set <c>duration_seconds</c> (0–3600) and
/// <c>fail: true</c> (it then fails halfway), so the platform's failure path can be exercised too.
/// </summary>
internal sealed class BuiltInTestExecution(TaskLaunch launch, TimeSpan defaultDuration) : ITaskExecution
{
    public const int Steps = 10;
    private const double MaxDurationSeconds = 3600;

    public async Task<TaskOutcome> RunAsync(ITaskObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var (duration, fail) = ReadConfig(launch.ConfigJson, defaultDuration);
        observer.OnStarted();
        observer.OnLog(Info($"test task {launch.TaskId} (attempt {launch.Attempt}) on GPU {launch.GpuIndex?.ToString(CultureInfo.InvariantCulture) ?? "none"}: counting to 100 over {duration.TotalSeconds:0.##} s"));
        try
        {
            for (var step = 1; step <= Steps; step++)
            {
                await Task.Delay(duration / Steps, cancellationToken);
                if (fail && step == Steps / 2)
                {
                    observer.OnLog(new TaskLogLine(DateTime.UtcNow, TaskLogLevel.Error, "failing on purpose (config.fail = true)"));
                    return TaskOutcome.Failed("test task failed on purpose (config.fail = true)", 1);
                }

                observer.OnProgress(step * 100.0 / Steps);
                if (step % 5 == 0)
                {
                    observer.OnLog(Info($"step {step}/{Steps}"));
                }
            }
        }
        catch (OperationCanceledException)
        {
            return TaskOutcome.Cancelled();
        }

        observer.OnLog(Info($"done"));
        return TaskOutcome.Completed(new JsonObject
        {
            ["ok"] = true,
            ["steps"] = Steps,
            ["duration_seconds"] = Math.Round(duration.TotalSeconds, 3),
            ["gpu"] = launch.GpuIndex,
        });
    }

    private static TaskLogLine Info(FormattableString message) =>
        new(DateTime.UtcNow, TaskLogLevel.Info, message.ToString(CultureInfo.InvariantCulture));

    private static (TimeSpan Duration, bool Fail) ReadConfig(string configJson, TimeSpan defaultDuration)
    {
        try
        {
            using var document = JsonDocument.Parse(configJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (defaultDuration, false);
            }

            var root = document.RootElement;
            var duration = root.TryGetProperty("duration_seconds", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetDouble(out var seconds)
                ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxDurationSeconds))
                : defaultDuration;
            var fail = root.TryGetProperty("fail", out var f) && f.ValueKind == JsonValueKind.True;
            return (duration, fail);
        }
        catch (JsonException)
        {
            return (defaultDuration, false);
        }
    }
}
