namespace OwlFactory.Agent.Telemetry;

/// <summary>Host CPU use (from /proc/stat deltas between two readings) and memory use (from /proc/meminfo).</summary>
internal sealed class HostUsageReader(string procRoot = "/proc")
{
    private readonly Lock _gate = new();
    private CpuTimes? _previous;

    /// <summary>The host's usage, or null where /proc cannot be read (not Linux, a restricted sandbox).</summary>
    public HostSample? TryRead()
    {
        string stat;
        string meminfo;
        try
        {
            stat = File.ReadAllText(Path.Combine(procRoot, "stat"));
            meminfo = File.ReadAllText(Path.Combine(procRoot, "meminfo"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var cpu = CpuTimes.Parse(stat);
        var memory = MemInfo.ParseUsagePercent(meminfo);
        if (cpu is null || memory is null)
        {
            return null;
        }

        double cpuUsage;
        lock (_gate)
        {
            cpuUsage = cpu.Value.UsageSince(_previous);
            _previous = cpu;
        }

        return new HostSample(Math.Round(cpuUsage, 1), Math.Round(memory.Value, 1));
    }
}
