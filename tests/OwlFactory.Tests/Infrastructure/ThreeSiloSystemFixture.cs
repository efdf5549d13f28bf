namespace OwlFactory.Tests.Infrastructure;

/// <summary>Three silo processes and an API host: a cluster that keeps a majority when one silo is lost.</summary>
public sealed class ThreeSiloSystemFixture : SystemFixture
{
    protected override int SiloCount => 3;

    protected override string? OwnDatabase => "owl_test_drill";
}

[CollectionDefinition(Name)]
public sealed class DrillGroup : ICollectionFixture<ThreeSiloSystemFixture>
{
    public const string Name = "drill";
}
