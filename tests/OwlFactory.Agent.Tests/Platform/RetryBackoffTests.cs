using OwlFactory.Agent.Platform;

namespace OwlFactory.Agent.Tests.Platform;

public sealed class RetryBackoffTests
{
    [Fact]
    public void NextDelay_ManyFailures_GrowsThenStaysCappedAtThirtySeconds()
    {
        var backoff = new RetryBackoff();

        var delays = Enumerable.Range(0, 12).Select(_ => backoff.NextDelay()).ToList();

        Assert.InRange(delays[0].TotalSeconds, 0.5, 1);
        Assert.InRange(delays[3].TotalSeconds, 4, 8);
        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromSeconds(30)));
        Assert.All(delays.Skip(6), d => Assert.InRange(d.TotalSeconds, 15, 30));
        Assert.Equal(12, backoff.Failures);

        backoff.Reset();
        Assert.InRange(backoff.NextDelay().TotalSeconds, 0.5, 1);
    }
}
