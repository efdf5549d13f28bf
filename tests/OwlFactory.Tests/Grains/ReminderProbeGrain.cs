using System.Collections.Concurrent;

namespace OwlFactory.Tests.Grains;

/// <summary>A test-only grain that registers a reminder and counts its ticks, to prove the reminder table works.</summary>
public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public static readonly ConcurrentDictionary<Guid, int> Ticks = new();

    public Task StartAsync() => this.RegisterOrUpdateReminder("probe", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    public async Task StopAsync()
    {
        var reminder = await this.GetReminder("probe");
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate(this.GetPrimaryKey(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
