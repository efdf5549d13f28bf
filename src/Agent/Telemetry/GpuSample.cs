namespace OwlFactory.Agent.Telemetry;

/// <summary>
/// One GPU's readings: its nvidia-smi index (what <c>CUDA_VISIBLE_DEVICES</c> takes), utilization in percent, memory
/// in GiB rounded to 2 places, temperature in °C. A value the driver does not report ("[N/A]", "[Not Supported]") is null.
/// </summary>
internal sealed record GpuSample(int Index, string Name, double? Utilization, double? MemoryUsedGiB, double? MemoryTotalGiB, int? Temperature);
