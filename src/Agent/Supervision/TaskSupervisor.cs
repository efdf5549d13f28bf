using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;
using OwlFactory.Agent.Execution;
using OwlFactory.Agent.Platform;

namespace OwlFactory.Agent.Supervision;

/// <summary>
/// The tasks this agent holds: starts assignments on a GPU, stops cancelled and lost ones, turns each run's
/// outcome into its final report, and at shutdown kills what runs and reports it failed.
/// </summary>
internal sealed partial class TaskSupervisor
{
    public const string ShutdownMessage = "agent shutting down";
    private static readonly TimeSpan ShutdownKillBudget = TimeSpan.FromSeconds(3);

    private readonly ExecutorCatalog _catalog;
    private readonly AgentApiClient _api;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<TaskSupervisor> _logger;
    private readonly int _maxConcurrentTasks;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SupervisedTask> _tasks = new(StringComparer.Ordinal);
    private readonly RecentTasks _finished = new(1000);
    private GpuSlots _slots;
    private bool _slotsSet;
    private bool _shuttingDown;

    public TaskSupervisor(ExecutorCatalog catalog, AgentApiClient api, IOptions<AgentOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _catalog = catalog;
        _api = api;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<TaskSupervisor>();
        _maxConcurrentTasks = options.Value.MaxConcurrentTasks;
        _slots = new GpuSlots([], _maxConcurrentTasks);
    }

    /// <summary>Set when a task's work ends, so a heartbeat can ask for more at once.</summary>
    public WakeSignal SlotFreed { get; } = new();

    public IReadOnlyList<string> TaskTypes => _catalog.TaskTypes;

    public bool HasFreeSlot
    {
        get
        {
            lock (_gate)
            {
                return _slots.HasFree && !_shuttingDown;
            }
        }
    }

    /// <summary>
    /// Sets the GPUs to hand out from a telemetry reading. Once tasks run it waits until none does, so that a driver
    /// that came up after the agent (or a GPU that fell off the bus) is taken into account without a restart.
    /// </summary>
    public void UseGpus(IEnumerable<int> gpuIndices)
    {
        ArgumentNullException.ThrowIfNull(gpuIndices);
        var indices = gpuIndices.Order().ToList();
        lock (_gate)
        {
            if (_slots.Running > 0 || (_slots.GpuIndices.SequenceEqual(indices) && _slotsSet))
            {
                return;
            }

            _slots = new GpuSlots(indices, _maxConcurrentTasks);
            _slotsSet = true;
            LogSlots(_slots.GpuIndices.Count, _slots.Capacity);
        }
    }

    public IReadOnlySet<int> BusyGpus()
    {
        lock (_gate)
        {
            return _slots.Busy();
        }
    }

    public IReadOnlyList<RunningTaskReport> RunningTasks()
    {
        lock (_gate)
        {
            return [.. _tasks.Values.Where(t => t.IsRunning).Select(t => new RunningTaskReport(t.TaskId, t.Progress))];
        }
    }

    /// <summary>Acts on a heartbeat's answer; returns how many tasks it started.</summary>
    public int Apply(HeartbeatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var cancelled = new HashSet<string>(response.Cancel ?? [], StringComparer.Ordinal);
        foreach (var taskId in cancelled)
        {
            Stop(taskId, StopReason.CancelledByPlatform);
        }

        var started = 0;
        foreach (var assignment in response.Assignments ?? [])
        {
            if (!cancelled.Contains(assignment.TaskId) && TryStart(assignment))
            {
                started++;
            }
        }

        return started;
    }

    /// <summary>Stops a task's work and reports nothing further for it.</summary>
    public void Stop(string taskId, StopReason reason)
    {
        SupervisedTask? task;
        lock (_gate)
        {
            _tasks.TryGetValue(taskId, out task);
        }

        if (task is not null)
        {
            LogStopping(taskId, reason);
            task.Reporter.Abandon();
            task.Stop(reason);
        }
    }

    /// <summary>
    /// Stops taking work, kills what runs, and gives every task one try at its last reports ("agent shutting down"
    /// for the killed ones); returns within about <paramref name="budget"/>.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan budget)
    {
        List<SupervisedTask> tasks;
        lock (_gate)
        {
            _shuttingDown = true;
            tasks = [.. _tasks.Values];
        }

        if (tasks.Count == 0)
        {
            return;
        }

        LogShuttingDown(tasks.Count(t => t.IsRunning));
        // The loops stop first, so the one last try below is the only sender.
        await Task.WhenAll(tasks.Select(t => t.Reporter.StopAsync()));
        foreach (var task in tasks)
        {
            task.Stop(StopReason.Shutdown);
        }

        var killBudget = budget < ShutdownKillBudget * 2 ? budget / 2 : ShutdownKillBudget;
        await WhenAllWithin(tasks.Select(t => t.Completion), killBudget);

        using var reports = new CancellationTokenSource(budget - killBudget);
        await WhenAllWithin(tasks.Select(t => t.Reporter.FlushOnceAsync(reports.Token)), budget - killBudget);
    }

    private bool TryStart(TaskAssignment assignment)
    {
        SupervisedTask task;
        lock (_gate)
        {
            if (_shuttingDown || _tasks.ContainsKey(assignment.TaskId) || _finished.Contains(assignment.TaskId, assignment.Attempt))
            {
                return false;
            }

            var gpu = _slots.Acquire();
            var reporter = new TaskReporter(
                assignment.TaskId, _api, _loggerFactory.CreateLogger<TaskReporter>(), id => Stop(id, StopReason.Gone));
            task = new SupervisedTask(assignment, gpu, reporter);
            _tasks[assignment.TaskId] = task;
            // Set under the lock, so that a shutdown that sees the task also sees its run.
            task.Reporter.Run();
            task.Completion = Task.Run(() => SuperviseAsync(task));
        }

        LogStarting(task.TaskId, assignment.TaskType, assignment.Attempt, task.GpuLabel);
        return true;
    }

    private async Task SuperviseAsync(SupervisedTask task)
    {
        var outcome = await RunAsync(task);
        task.MarkExited();
        lock (_gate)
        {
            _slots.Release(task.Gpu);
        }

        SlotFreed.Set();
        LogFinished(task.TaskId, outcome.Kind, outcome.ExitCode, outcome.ErrorMessage ?? "");

        var reason = task.StopReason;
        if (outcome.Kind == TaskOutcomeKind.Cancelled || reason is StopReason.CancelledByPlatform or StopReason.Gone)
        {
            if (reason == StopReason.Shutdown)
            {
                task.Reporter.Fail(ShutdownMessage);
            }
            else
            {
                task.Reporter.Abandon();
            }
        }
        else if (outcome.Kind == TaskOutcomeKind.Completed)
        {
            task.Reporter.Complete(outcome.Result ?? new JsonObject());
        }
        else
        {
            task.Reporter.Fail(outcome.ErrorMessage ?? "failed");
        }

        await task.Reporter.Completion;
        lock (_gate)
        {
            _tasks.Remove(task.TaskId);
            _finished.Add(task.TaskId, task.Assignment.Attempt);
        }

        task.Dispose();
    }

    private async Task<TaskOutcome> RunAsync(SupervisedTask task)
    {
        var execution = _catalog.Create(task.Launch);
        if (execution is null)
        {
            return TaskOutcome.Failed($"this agent has no executor for task type '{task.Launch.TaskType}'");
        }

        try
        {
            return await TaskRunner.RunAsync(execution, task, task.Timeout, task.StopToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRunCrashed(ex, task.TaskId);
            return TaskOutcome.Failed("agent error while running the task: " + ex.Message);
        }
    }

    private static async Task WhenAllWithin(IEnumerable<Task> tasks, TimeSpan budget)
    {
        try
        {
            await Task.WhenAll(tasks).WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            // Shutdown must end; whatever did not finish in time is given up.
        }
        catch (OperationCanceledException)
        {
            // Same: the last reports ran out of time.
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Task {TaskId} ({TaskType}, attempt {Attempt}) starting on GPU {Gpu}")]
    private partial void LogStarting(string taskId, string taskType, int attempt, string gpu);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Task {TaskId} ended: {Outcome} (exit code {ExitCode}) {ErrorMessage}")]
    private partial void LogFinished(string taskId, TaskOutcomeKind outcome, int? exitCode, string errorMessage);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Task {TaskId}: stopping ({Reason})")]
    private partial void LogStopping(string taskId, StopReason reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Shutting down: killing {Running} running task(s) and reporting them failed")]
    private partial void LogShuttingDown(int running);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Task {TaskId}: the agent failed while running it")]
    private partial void LogRunCrashed(Exception exception, string taskId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "{GpuCount} GPU(s); the agent is full at {Capacity} running task(s)")]
    private partial void LogSlots(int gpuCount, int capacity);
}
