using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Admin;

namespace OwlFactory.Grains.Admin;

public sealed class SystemConfigGrain(
    [PersistentState("config", OwlConstants.Storage)] IPersistentState<SystemConfig> state,
    TimeProvider clock) : Grain, ISystemConfigGrain
{
    private TaskCompletionSource<SystemConfig> _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SystemConfig Current => state.RecordExists ? state.State : SystemConfig.Default;

    public Task<SystemConfig> GetAsync() => Task.FromResult(Current);

    public async Task<SystemConfig> UpdateAsync(SystemConfigChange change, Guid updatedBy)
    {
        var c = Current;
        state.State = c with
        {
            MaxConcurrentTasksPerUser = change.MaxConcurrentTasksPerUser ?? c.MaxConcurrentTasksPerUser,
            DefaultTaskTimeout = change.DefaultTaskTimeout ?? c.DefaultTaskTimeout,
            MaintenanceMode = change.MaintenanceMode ?? c.MaintenanceMode,
            MaintenanceMessage = change.MaintenanceMessage ?? c.MaintenanceMessage,
            HeartbeatTimeoutSeconds = change.HeartbeatTimeoutSeconds ?? c.HeartbeatTimeoutSeconds,
            TaskPrices = change.TaskPrices ?? c.TaskPrices,
            LogRetentionDays = change.LogRetentionDays ?? c.LogRetentionDays,
            Version = c.Version + 1,
            UpdatedAt = clock.GetUtcNow().UtcDateTime,
            UpdatedBy = updatedBy,
        };
        await state.WriteStateAsync();

        var waiting = _changed;
        _changed = new TaskCompletionSource<SystemConfig>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.SetResult(state.State);
        return state.State;
    }

    public async Task<SystemConfig> WaitForChangeAsync(long knownVersion, TimeSpan maxWait)
    {
        if (Current.Version != knownVersion)
        {
            return Current;
        }

        await Task.WhenAny(_changed.Task, Task.Delay(maxWait, clock));
        return Current;
    }
}
