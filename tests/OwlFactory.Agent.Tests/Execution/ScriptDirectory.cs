using OwlFactory.Agent.Execution;

namespace OwlFactory.Agent.Tests.Execution;

/// <summary>A temporary folder of bash scripts, run as real child processes through /bin/bash.</summary>
internal sealed class ScriptDirectory : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("owl-agent-tests-").FullName;

    public ExecutorCommand Write(string name, string body, IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = Path.Combine(_path, name + ".sh");
        File.WriteAllText(script, body.ReplaceLineEndings("\n"));
        return new ExecutorCommand("/bin/bash", [script], _path, environment ?? new Dictionary<string, string>());
    }

    public void Dispose() => Directory.Delete(_path, recursive: true);
}
