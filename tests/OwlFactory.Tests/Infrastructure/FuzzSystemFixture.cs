namespace OwlFactory.Tests.Infrastructure;

/// <summary>
/// A system on a database of its own for the fuzz test, whose "state unchanged" check counts every list an admin sees:
/// on the shared database, a batch of codes issued by a grain test running beside it would change those counts.
/// </summary>
public sealed class FuzzSystemFixture : SystemFixture
{
    protected override string? OwnDatabase => "owl_test_fuzz";
}

[CollectionDefinition(Name)]
public sealed class FuzzGroup : ICollectionFixture<FuzzSystemFixture>
{
    public const string Name = "fuzz";
}
