using System.Diagnostics;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>Waiting for something the system does in its own time: read, check, and fail with what was last read once the time is up.</summary>
public static class Poll
{
    /// <summary>
    /// Reads until <paramref name="until"/> holds and returns that value; fails the test with
    /// <paramref name="describe"/> of the last value read when it still does not hold after <paramref name="within"/>.
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> read, Func<T, bool> until, TimeSpan within, TimeSpan every, Func<T, string> describe)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (until(value))
            {
                return value;
            }

            Assert.True(elapsed.Elapsed < within, describe(value));
            await Task.Delay(every);
        }
    }
}
