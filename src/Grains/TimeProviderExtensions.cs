namespace OwlFactory.Grains;

public static class TimeProviderExtensions
{
    /// <summary>UTC now, truncated to what the API shows and PostgreSQL keeps, so a reloaded row equals the one in memory.</summary>
    public static DateTime UtcNowMilliseconds(this TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
