namespace OwlFactory.Tests.Infrastructure;

/// <summary>A system of two silo processes and an API host, for tests that stop and restart processes.</summary>
public sealed class TwoSiloSystemFixture : SystemFixture
{
    protected override int SiloCount => 2;

    protected override string? OwnDatabase => "owl_test_restart";
}

[CollectionDefinition(Name)]
public sealed class RestartGroup : ICollectionFixture<TwoSiloSystemFixture>
{
    public const string Name = "restart";
}
