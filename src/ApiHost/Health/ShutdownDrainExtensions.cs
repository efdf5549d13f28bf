namespace OwlFactory.ApiHost.Health;

public static class ShutdownDrainExtensions
{
    /// <summary>Drain on SIGTERM (<see cref="ShutdownDrain"/>), with time for requests in flight to finish.</summary>
    public static IServiceCollection AddShutdownDrain(this IServiceCollection services)
    {
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return services;
    }
}
