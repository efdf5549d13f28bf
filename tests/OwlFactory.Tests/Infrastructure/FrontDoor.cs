using System.Diagnostics;
using System.Globalization;

namespace OwlFactory.Tests.Infrastructure;

/// <summary>
/// The nginx front door of <c>./owl run --api-hosts M</c>, with the very configuration <c>./owl</c> writes
/// (<c>./owl front-door-config</c>), in the foreground as a child process of the tests, on a free loopback port.
/// </summary>
public sealed class FrontDoor : IDisposable
{
    private readonly Process _nginx;
    private readonly string _directory;

    private FrontDoor(Process nginx, string directory, int port)
    {
        _nginx = nginx;
        _directory = directory;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    /// <summary>The front door's error log (the upstreams it could not reach, the requests it resent), for failure messages.</summary>
    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "";

    public static async Task<FrontDoor> StartAsync(IEnumerable<int> upstreamPorts)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"owl-test-nginx-{Guid.NewGuid():N}"[..27]);
        var port = FreePort.Next();
        var owl = Path.Combine(OwlProcess.RepositoryRoot, "owl");
        var write = new ProcessStartInfo(owl, ["front-door-config", directory, port.ToString(CultureInfo.InvariantCulture),
            .. upstreamPorts.Select(p => p.ToString(CultureInfo.InvariantCulture))]) { RedirectStandardOutput = true, UseShellExecute = false };
        using (var writer = Process.Start(write)!)
        {
            var config = (await writer.StandardOutput.ReadToEndAsync()).Trim();
            await writer.WaitForExitAsync();
            Assert.True(writer.ExitCode == 0 && File.Exists(config), $"./owl front-door-config failed ({writer.ExitCode}): {config}");
        }

        var nginx = Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx",
            ["-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log"), "-g", "daemon off;"])
        {
            UseShellExecute = false,
        })!;
        var frontDoor = new FrontDoor(nginx, directory, port);
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await http.GetAsync(frontDoor.Address);
                return frontDoor;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.False(nginx.HasExited, "nginx exited: " + frontDoor.ErrorLog);
            await Task.Delay(100);
        }

        frontDoor.Dispose();
        throw new InvalidOperationException("nginx did not listen in 10 s: " + frontDoor.ErrorLog);
    }

    public void Dispose()
    {
        if (!_nginx.HasExited)
        {
            _nginx.Kill(entireProcessTree: true);
            _nginx.WaitForExit(5000);
        }

        _nginx.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
