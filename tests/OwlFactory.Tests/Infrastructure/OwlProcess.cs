using System.Collections.Concurrent;
using System.Diagnostics;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>A silo or API host running as its own process, from the solution's build output.</summary>
public sealed class OwlProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private StreamWriter? _log;

    private OwlProcess(Process process) => _process = process;

    public string Name { get; private init; } = "";

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process printed, for failure messages.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output.TakeLast(150));

    /// <summary>Whether one of the last 500 lines the process printed satisfies <paramref name="line"/>.</summary>
    public bool Printed(Func<string, bool> line) => _output.Any(line);

    public static OwlProcess Start(string project, string name, IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", BuildOutput(project))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var owl = new OwlProcess(process) { Name = name };
        if (Environment.GetEnvironmentVariable("OWL_TEST_LOG_DIR") is { Length: > 0 } logs)
        {
            // Every process's whole output, kept for a failed run (./owl test sets the folder).
            Directory.CreateDirectory(logs);
            owl._log = new StreamWriter(Path.Combine(logs, $"{name}-{DateTime.UtcNow:HHmmss.fff}-{Guid.NewGuid():N}"[..40] + ".log")) { AutoFlush = true };
        }

        process.OutputDataReceived += (_, e) => owl.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => owl.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return owl;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Asks the process to stop (SIGTERM), as systemd or Ctrl-C would.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Ends the process at once, as a crash or <c>kill -9</c> would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_output)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        lock (_output)
        {
            _log?.WriteLine(line);
        }

        while (_output.Count > 500)
        {
            _output.TryDequeue(out _);
        }
    }

    /// <summary>src/{Project}/bin/{Configuration}/net10.0/OwlFactory.{Project}.dll, the configuration being the tests' own.</summary>
    private static string BuildOutput(string project)
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testDirectory.Parent!.Name;
        var path = Path.Combine(RepositoryRoot, "src", project, "bin", configuration, testDirectory.Name, $"OwlFactory.{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first", path);
    }

    /// <summary>The checkout the tests run from: the folder holding OwlFactory.sln above the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "OwlFactory.sln")))
            {
                root = root.Parent;
            }

            return root?.FullName ?? throw new InvalidOperationException("OwlFactory.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
