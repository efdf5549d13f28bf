using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.Tests.Infrastructure;

namespace OwlFactory.Tests.Grains;

[Collection(ClusterGroup.Name)]
public sealed class GrainBoundaryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task GrainCall_DatabaseRefusesTheWrite_ThrowsGrainFaultWithACorrelationId()
    {
        var name = "b" + Guid.NewGuid().ToString("N")[..12];
        var grain = fixture.Grains.GetGrain<IUserGrain>(Guid.NewGuid());
        await grain.RegisterAsync(new RegisterCommand($"{name}@example.test", name, "first-password", null, UserRole.User));

        // PostgreSQL refuses NUL in text; the API never lets one through, but the grain boundary must hold anyway.
        var fault = await Assert.ThrowsAsync<GrainFaultException>(() => grain.UpdateProfileAsync(null, "nul\0name"));

        Assert.False(fault.Unavailable);
        Assert.NotEmpty(fault.CorrelationId);
        Assert.NotNull(await grain.GetProfileAsync());
    }
}
