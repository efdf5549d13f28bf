using System.Globalization;

namespace OwlFactory.Agent.Telemetry;

internal static class MemInfo
{
    /// <summary>Percent of memory in use from /proc/meminfo: (MemTotal − MemAvailable) / MemTotal × 100.</summary>
    public static double? ParseUsagePercent(string procMeminfo)
    {
        ArgumentNullException.ThrowIfNull(procMeminfo);
        double? total = null;
        double? available = null;
        foreach (var line in procMeminfo.Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                total = ReadKilobytes(line);
            }
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                available = ReadKilobytes(line);
            }
        }

        return total is > 0 && available is { } free
            ? Math.Clamp((total.Value - free) * 100.0 / total.Value, 0, 100)
            : null;
    }

    private static double? ReadKilobytes(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var kb) ? kb : null;
    }
}
