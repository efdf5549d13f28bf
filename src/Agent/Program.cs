using Microsoft.Extensions.Options;
using OwlFactory.Agent;
using OwlFactory.Agent.Configuration;

// The Owl Factory GPU agent: heartbeats with telemetry, pulls the tasks assigned to this server, runs them and
// reports back. Configuration: the JSON file (--config / OWL_AGENT_CONFIG / /etc/owl-agent/agent.json), then
// OWL_AGENT_* variables, then the command line.
try
{
    var configFile = AgentConfigFile.Resolve(args, Environment.GetEnvironmentVariable);

    // No defaults: they would read every environment variable unprefixed (TOKEN=… would become the token).
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddAgentSources(configFile, args);
    builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
    builder.Logging.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.UseUtcTimestamp = true;
        o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    });
    builder.Services.AddOwlAgent(builder.Configuration);

    await builder.Build().RunAsync();
    return 0;
}
catch (Exception ex) when (ex is OptionsValidationException or FileNotFoundException or InvalidDataException or FormatException)
{
    // A configuration mistake: say what to fix, without a stack trace (systemd restarts it until it is fixed).
    await Console.Error.WriteLineAsync($"owl-agent: cannot start: {ex.Message}");
    return 2;
}
