using Orleans.Runtime;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.Grains.Tasks;

public sealed class TaskSweeperGrain(TaskStore store) : Grain, ITaskSweeperGrain, IRemindable
{
    private const string ReminderName = "sweep-tasks";

    public async Task EnsureScheduledAsync()
        => await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public async Task<int> SweepAsync()
    {
        var overdue = await store.FindOverdueAsync(limit: 1000);
        await Task.WhenAll(overdue.Select(id => GrainFactory.Reference<ITaskGrain>(id).CheckAsync()));
        return overdue.Count;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync();
}
