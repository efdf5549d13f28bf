using System.Globalization;

namespace OwlFactory.Agent.Telemetry;

/// <summary>Cumulative CPU time of the whole host, in clock ticks, from the first line of /proc/stat.</summary>
internal readonly record struct CpuTimes(ulong Total, ulong Idle)
{
    /// <summary>Parses the aggregate "cpu" line; null if there is none.</summary>
    public static CpuTimes? Parse(string procStat)
    {
        ArgumentNullException.ThrowIfNull(procStat);
        var line = procStat.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        // user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already inside user/nice.
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).ToList();
        if (values.Count < 4)
        {
            return null;
        }

        ulong total = 0;
        var parsed = new ulong[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            if (!ulong.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out parsed[i]))
            {
                return null;
            }

            total += parsed[i];
        }

        var idle = parsed[3] + (parsed.Length > 4 ? parsed[4] : 0);
        return new CpuTimes(total, idle);
    }

    /// <summary>Percent busy between <paramref name="previous"/> and this reading (since boot without one).</summary>
    public double UsageSince(CpuTimes? previous)
    {
        // A counter that went backwards (a reset) makes the previous reading useless: fall back to "since boot".
        var (baseTotal, baseIdle) = previous is { } p && p.Total <= Total && p.Idle <= Idle ? (p.Total, p.Idle) : (0UL, 0UL);
        var total = Total - baseTotal;
        var idle = Math.Min(Idle - baseIdle, total);
        return total == 0 ? 0 : (total - idle) * 100.0 / total;
    }
}
