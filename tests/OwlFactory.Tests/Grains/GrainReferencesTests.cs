using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.GrainInterfaces.Admin;
using OwlFactory.GrainInterfaces.Throttling;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

[Collection(ClusterGroup.Name)]
public sealed class GrainReferencesTests(ClusterFixture fixture)
{
    [Fact]
    public void Reference_EveryKeyKind_IsTheReferenceGetGrainGives()
    {
        var userId = Guid.NewGuid();
        var bucket = $"test:{Guid.NewGuid()}";

        // The first call of an interface may resolve it; every later one builds the reference from the id.
        for (var call = 0; call < 2; call++)
        {
            AssertSame(fixture.Grains.GetGrain<IUserGrain>(userId), fixture.Grains.Reference<IUserGrain>(userId));
            AssertSame(fixture.Grains.GetGrain<ISystemConfigGrain>(7), fixture.Grains.Reference<ISystemConfigGrain>(7));
            AssertSame(fixture.Grains.GetGrain<IThrottleGrain>(bucket), fixture.Grains.Reference<IThrottleGrain>(bucket));
        }
    }

    [Fact]
    public async Task Reference_CallsReachTheSameActivation()
    {
        var bucket = $"test:{Guid.NewGuid()}";
        fixture.Grains.Reference<IThrottleGrain>($"test:{Guid.NewGuid()}"); // resolved: the calls below build theirs

        Assert.True(await fixture.Grains.Reference<IThrottleGrain>(bucket).TryAcquireAsync(2, 60));
        Assert.True(await fixture.Grains.GetGrain<IThrottleGrain>(bucket).TryAcquireAsync(2, 60));

        Assert.False(await fixture.Grains.Reference<IThrottleGrain>(bucket).TryAcquireAsync(2, 60));
    }

    [Fact]
    public void Reference_BlankStringKey_Throws()
        => Assert.Throws<ArgumentException>(() => fixture.Grains.Reference<IThrottleGrain>(" "));

    private static void AssertSame(IAddressable expected, IAddressable actual)
    {
        Assert.Equal(expected.GetGrainId(), actual.GetGrainId());
        Assert.Equal(((GrainReference)expected).InterfaceType, ((GrainReference)actual).InterfaceType);
        Assert.Equal(expected, actual);
    }
}
