using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;

namespace OwlFactory.Agent.Telemetry;

/// <summary>
/// N simulated "Simulated H100" GPUs (80 GiB) whose numbers drift slowly toward idle or busy levels: a GPU that runs
/// a task climbs to ~90 % use, tens of GiB and ~70 °C. Host CPU and memory are the real ones from /proc where it
/// can be read (they are true of the machine running the simulation), simulated values otherwise.
/// </summary>
internal sealed class SimulatedTelemetrySource : ITelemetrySource
{
    public const string GpuName = "Simulated H100";
    public const double MemoryTotalGiB = 80.0;
    // How far each reading moves toward its target: slow enough to look like a real card warming up.
    private const double Smoothing = 0.35;

    private readonly HostUsageReader _host;
    private readonly SimulatedGpu[] _gpus;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private double _hostCpu = 12;
    private double _hostMemory = 35;

    public SimulatedTelemetrySource(IOptions<AgentOptions> options, HostUsageReader host)
        : this(options?.Value.SimulateGpus ?? 0, host, Random.Shared)
    {
    }

    public SimulatedTelemetrySource(int gpuCount, HostUsageReader host, Random random)
    {
        _host = host;
        _random = random;
        _gpus = [.. Enumerable.Range(0, gpuCount).Select(i => new SimulatedGpu(i, busyMemoryGiB: 24 + (i * 7 % 40)))];
    }

    public Task<TelemetrySnapshot> SampleAsync(IReadOnlySet<int> busyGpus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(busyGpus);
        lock (_gate)
        {
            var gpus = _gpus.Select(g => g.Step(busyGpus.Contains(g.Index), _random)).ToList();
            var host = _host.TryRead() ?? SimulateHost(busyGpus.Count);
            return Task.FromResult(new TelemetrySnapshot(host, gpus));
        }
    }

    private HostSample SimulateHost(int busy)
    {
        _hostCpu = Drift(_hostCpu, 8 + (busy * 12), 3, _random);
        _hostMemory = Drift(_hostMemory, 30 + (busy * 6), 1, _random);
        return new HostSample(Math.Round(Math.Clamp(_hostCpu, 0, 100), 1), Math.Round(Math.Clamp(_hostMemory, 0, 100), 1));
    }

    private static double Drift(double current, double target, double noise, Random random) =>
        current + ((target - current) * Smoothing) + ((random.NextDouble() - 0.5) * 2 * noise);

    private sealed class SimulatedGpu(int index, double busyMemoryGiB)
    {
        private double _usage = 1;
        private double _memory = 0.5;
        private double _temperature = 36;

        public int Index => index;

        public GpuSample Step(bool busy, Random random)
        {
            _usage = Math.Clamp(Drift(_usage, busy ? 92 : 1, busy ? 4 : 0.5, random), 0, 100);
            _memory = Math.Clamp(Drift(_memory, busy ? busyMemoryGiB : 0.5, busy ? 0.8 : 0.05, random), 0.1, MemoryTotalGiB);
            _temperature = Math.Clamp(Drift(_temperature, busy ? 72 : 36, 0.6, random), 25, 95);
            return new GpuSample(
                index,
                GpuName,
                Math.Round(_usage, 1),
                Math.Round(_memory, 2),
                MemoryTotalGiB,
                (int)Math.Round(_temperature));
        }
    }
}
