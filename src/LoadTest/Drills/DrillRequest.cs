namespace OwlFactory.LoadTest.Drills;

/// <summary>One request of a drill: when it was sent and answered (on the load's clock), its status (0: no answer).</summary>
public sealed record DrillRequest(string Operation, TimeSpan Started, TimeSpan Ended, int Status, string? Detail)
{
    /// <summary>A failure the client sees: no answer, or a server error. Business refusals (400, 429) are answers.</summary>
    public bool Failed => Status is 0 or >= 500;

    public TimeSpan Took => Ended - Started;
}
