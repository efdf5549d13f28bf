using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OwlFactory.Agent.Configuration;
using OwlFactory.Agent.Execution;

namespace OwlFactory.Agent.Tests.Configuration;

public sealed class AgentConfigurationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"owl-agent-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    private static AgentOptions Bind(IConfiguration configuration)
    {
        var options = new AgentOptions();
        configuration.Bind(options);
        return options;
    }

    [Fact]
    public void Bind_JsonFileAndCommandLine_ReadsSnakeCaseKeysAndCommandLineWins()
    {
        File.WriteAllText(_file, """
            {
              "api_url": "http://from-file:8000",
              "token": "file-token",
              "heartbeat_interval_seconds": 9,
              "long_poll_seconds": 15,
              "executors": {
                "video_analysis": {
                  "command": "/opt/owl/bin/analyze",
                  "args": ["--fast", "--model", "big"],
                  "working_directory": "/var/lib/owl",
                  "env": { "MODEL_DIR": "/opt/models" }
                }
              }
            }
            """);

        var configuration = new ConfigurationBuilder()
            .AddAgentSources(new AgentConfigFile(_file, true), ["--api-url", "http://from-cli:8000", "--simulate-gpus", "2", "--config", _file], includeEnvironment: false)
            .Build();
        var options = Bind(configuration);

        Assert.Equal("http://from-cli:8000", options.ApiUrl);
        Assert.Equal("file-token", options.Token);
        Assert.Equal(9, options.HeartbeatIntervalSeconds);
        Assert.Equal(15, options.LongPollSeconds);
        Assert.Equal(2, options.SimulateGpus);
        var executor = Assert.Single(options.Executors);
        Assert.Equal("video_analysis", executor.Key);
        Assert.Equal("/opt/owl/bin/analyze", executor.Value.Command);
        Assert.Equal(["--fast", "--model", "big"], executor.Value.Args);
        Assert.Equal("/var/lib/owl", executor.Value.WorkingDirectory);
        Assert.Equal("/opt/models", executor.Value.Env["MODEL_DIR"]);
    }

    [Fact]
    public void Bind_EnvironmentVariables_OverrideTheFile()
    {
        File.WriteAllText(_file, """{"api_url": "http://file", "token": "file-token", "long_poll_seconds": 15}""");
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable("OWL_AGENT_TOKEN", "env-token-" + suffix);
        Environment.SetEnvironmentVariable("OWL_AGENT_EXECUTORS__RENDER__COMMAND", "/usr/bin/render");
        try
        {
            var options = Bind(new ConfigurationBuilder().AddAgentSources(new AgentConfigFile(_file, true), []).Build());

            Assert.Equal("env-token-" + suffix, options.Token);
            Assert.Equal(15, options.LongPollSeconds);
            Assert.Equal("/usr/bin/render", options.Executors["render"].Command);
            Assert.Equal(["test", "render"], new ExecutorCatalog(Options.Create(options)).TaskTypes);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OWL_AGENT_TOKEN", null);
            Environment.SetEnvironmentVariable("OWL_AGENT_EXECUTORS__RENDER__COMMAND", null);
        }
    }

    [Fact]
    public void Bind_NoFileAndNoSettings_KeepsDefaults()
    {
        var options = Bind(new ConfigurationBuilder()
            .AddAgentSources(new AgentConfigFile("/nonexistent/agent.json", false), [], includeEnvironment: false)
            .Build());

        Assert.Equal(5, options.HeartbeatIntervalSeconds);
        Assert.Equal(20, options.LongPollSeconds);
        Assert.Equal(0, options.SimulateGpus);
        Assert.Equal(5, options.TestDurationSeconds);
        Assert.Empty(options.Executors);
    }

    [Theory]
    [InlineData(new[] { "--config", "/a.json" }, null, "/a.json", true)]
    [InlineData(new[] { "--token", "x", "--config=/b.json" }, "/env.json", "/b.json", true)]
    [InlineData(new string[0], "/env.json", "/env.json", true)]
    [InlineData(new string[0], null, "/etc/owl-agent/agent.json", false)]
    public void Resolve_ArgsAndEnvironment_PicksTheConfigFile(string[] args, string? environment, string expectedPath, bool expectedExplicit)
    {
        var file = AgentConfigFile.Resolve(args, name => name == "OWL_AGENT_CONFIG" ? environment : null);

        Assert.Equal(new AgentConfigFile(expectedPath, expectedExplicit), file);
    }

    [Fact]
    public void Validate_MissingTokenAndReplacedTestExecutor_FailsNamingTheKeys()
    {
        var options = new AgentOptions { ApiUrl = "ftp://nope", LongPollSeconds = 31 };
        options.Executors["test"] = new ExecutorOptions { Command = "/bin/true" };
        options.Executors["render"] = new ExecutorOptions();

        var result = new AgentOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = string.Join('\n', result.Failures!);
        Assert.Contains("api_url", failures, StringComparison.Ordinal);
        Assert.Contains("token", failures, StringComparison.Ordinal);
        Assert.Contains("long_poll_seconds", failures, StringComparison.Ordinal);
        Assert.Contains("executors.test", failures, StringComparison.Ordinal);
        Assert.Contains("executors.render.command", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GoodSettings_Succeeds()
    {
        var options = new AgentOptions { ApiUrl = "http://127.0.0.1:8000", Token = "t", SimulateGpus = 2 };

        Assert.True(new AgentOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void TaskTypes_ConfiguredExecutors_AreTestThenTheOthers()
    {
        var options = new AgentOptions();
        options.Executors["video_analysis"] = new ExecutorOptions { Command = "/bin/true" };
        options.Executors["inference"] = new ExecutorOptions { Command = "/bin/true" };

        var catalog = new ExecutorCatalog(Options.Create(options));

        Assert.Equal(["test", "inference", "video_analysis"], catalog.TaskTypes);
        Assert.IsType<BuiltInTestExecution>(catalog.Create(new TaskLaunch("t", "test", 1, "{}", null)));
        Assert.IsType<TaskProcess>(catalog.Create(new TaskLaunch("t", "inference", 1, "{}", 0)));
        Assert.Null(catalog.Create(new TaskLaunch("t", "training", 1, "{}", 0)));
    }
}
