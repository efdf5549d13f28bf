namespace OwlFactory.Tests.Grains;

/// <summary>A test-only grain that registers a reminder and counts its ticks, to prove the reminder table works.</summary>
[Alias("owl.tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithGuidKey
{
    [Alias("Start")]
    Task StartAsync();

    [Alias("Stop")]
    Task StopAsync();
}
