using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;

namespace OwlFactory.Agent.Telemetry;

/// <summary>Real GPUs through nvidia-smi; host CPU and memory from /proc. Without nvidia-smi it reports no GPUs.</summary>
internal sealed partial class NvidiaSmiTelemetrySource(
    IOptions<AgentOptions> options, HostUsageReader host, ILogger<NvidiaSmiTelemetrySource> logger) : ITelemetrySource
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(10);
    private readonly string _path = options.Value.NvidiaSmiPath;
    private bool _warned;

    public async Task<TelemetrySnapshot> SampleAsync(IReadOnlySet<int> busyGpus, CancellationToken cancellationToken)
    {
        var gpus = await ReadGpusAsync(cancellationToken);
        return new TelemetrySnapshot(host.TryRead() ?? new HostSample(0, 0), gpus);
    }

    private async Task<IReadOnlyList<GpuSample>> ReadGpusAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(NvidiaSmiParser.QueryArgument);
        info.ArgumentList.Add(NvidiaSmiParser.FormatArgument);

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            Warn(ex.Message);
            return [];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunTimeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout;
            var errors = await stderr;
            if (process.ExitCode != 0)
            {
                Warn($"exit code {process.ExitCode}: {FirstLine(errors.Length > 0 ? errors : output)}");
                return [];
            }

            _warned = false;
            return NvidiaSmiParser.Parse(output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Warn($"no answer within {RunTimeout.TotalSeconds} s");
            return [];
        }
    }

    private void Warn(string reason)
    {
        // Once per outage: a box without a driver would otherwise say so on every heartbeat.
        if (!_warned)
        {
            _warned = true;
            LogNvidiaSmiUnavailable(_path, reason);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "nvidia-smi ({Path}) gave no GPU readings ({Reason}); reporting no GPUs until it does")]
    private partial void LogNvidiaSmiUnavailable(string path, string reason);
}
