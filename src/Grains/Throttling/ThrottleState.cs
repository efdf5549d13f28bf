namespace OwlFactory.Grains.Throttling;

/// <summary>The failures a throttle remembers across activations: their times, oldest first.</summary>
[GenerateSerializer, Alias("owl.ThrottleState")]
public sealed class ThrottleState
{
    [Id(0)]
    public List<DateTime> Failures { get; set; } = [];
}
