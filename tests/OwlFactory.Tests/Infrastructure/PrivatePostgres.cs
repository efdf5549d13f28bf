using System.Diagnostics;
using System.Globalization;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of one fixture's own (a fresh cluster in a temporary folder, on a free port), which a test may
/// crash and start again without touching the test server every other test uses. The binaries are Debian's, as
/// <c>./owl test</c> installs them; as root the server runs as <c>postgres</c>, as <c>./owl</c> does.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;

    private PrivatePostgres(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database)
        => $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Maximum Pool Size=100";

    public static async Task<PrivatePostgres> CreateAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql")
            .OrderBy(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture)).Select(d => Path.Combine(d, "bin")).Last();
        var directory = Path.Combine(Path.GetTempPath(), $"owl-test-pg-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(directory);
        if (IsRoot)
        {
            await RunAsync("chown", "postgres:postgres", directory);
        }

        var server = new PrivatePostgres(bin, directory, FreePort.Next());
        await server.AsPostgresAsync("initdb", "-D", directory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C");
        await server.StartAsync();
        return server;
    }

    /// <summary>
    /// Starts the server. A commit is acknowledged only once its WAL is written (synchronous_commit stays on, or a crash
    /// would lose acknowledged writes, as a test once saw); fsync is off, since a crash of the server process, unlike
    /// one of the machine, leaves what was written in the page cache.
    /// </summary>
    public Task StartAsync()
        => AsPostgresAsync("pg_ctl", "-D", _directory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -k {_directory} -c max_connections=300 -c fsync=off", "start");

    /// <summary>A crash: every backend ends at once, no checkpoint; the next start recovers from the WAL.</summary>
    public Task CrashAsync() => AsPostgresAsync("pg_ctl", "-D", _directory, "-m", "immediate", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync("pg_ctl", "-D", _directory, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task AsPostgresAsync(string program, params string[] args)
        => IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. args])
            : RunAsync(Path.Combine(_bin, program), args);

    private static async Task RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
