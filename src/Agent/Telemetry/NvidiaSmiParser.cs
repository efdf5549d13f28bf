using System.Globalization;

namespace OwlFactory.Agent.Telemetry;

/// <summary>
/// Parses <c>nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu
/// --format=csv,noheader,nounits</c>: one line per GPU, fields separated by commas, memory in MiB.
/// </summary>
internal static class NvidiaSmiParser
{
    public const string QueryArgument = "--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu";
    public const string FormatArgument = "--format=csv,noheader,nounits";
    private const int FieldCount = 6;
    private const double MebibytesPerGibibyte = 1024;

    /// <summary>The GPUs in the output; lines that are not a GPU (blank, an error message) are skipped.</summary>
    public static IReadOnlyList<GpuSample> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var gpus = new List<GpuSample>();
        foreach (var rawLine in csv.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length > 0 && TryParseLine(line, out var gpu))
            {
                gpus.Add(gpu);
            }
        }

        return gpus;
    }

    private static bool TryParseLine(string line, out GpuSample gpu)
    {
        gpu = null!;
        var fields = line.Split(',');
        if (fields.Length < FieldCount || !int.TryParse(fields[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
        {
            return false;
        }

        // Commas separate fields and names should have none; if one ever does, the name takes the extra fields.
        var tail = fields.Length - 4;
        var name = string.Join(',', fields[1..tail]).Trim();
        gpu = new GpuSample(
            index,
            name,
            ParseNumber(fields[tail]),
            ToGibibytes(ParseNumber(fields[tail + 1])),
            ToGibibytes(ParseNumber(fields[tail + 2])),
            ParseNumber(fields[tail + 3]) is { } temperature ? (int)Math.Round(temperature, MidpointRounding.AwayFromZero) : null);
        return true;
    }

    /// <summary>A number, or null for "[N/A]", "[Not Supported]", "N/A", "" and anything else that is not one.</summary>
    private static double? ParseNumber(string field)
    {
        var text = field.Trim();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;
    }

    private static double? ToGibibytes(double? mebibytes) =>
        mebibytes is { } mib ? Math.Round(mib / MebibytesPerGibibyte, 2, MidpointRounding.AwayFromZero) : null;
}
