namespace OwlFactory.Agent.Tests;

public sealed class WakeSignalTests
{
    [Fact]
    public async Task WaitAsync_SetBeforeOrDuring_ReturnsTrueOnceThenWaits()
    {
        var signal = new WakeSignal();
        signal.Set();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));

        var waiting = signal.WaitAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        signal.Set();
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new WakeSignal().WaitAsync(Timeout.InfiniteTimeSpan, cancel.Token));
    }
}
