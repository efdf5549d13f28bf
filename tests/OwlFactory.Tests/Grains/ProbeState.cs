namespace OwlFactory.Tests.Grains;

[GenerateSerializer, Alias("owl.tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)]
    public int Value { get; set; }
}
