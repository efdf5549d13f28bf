using Microsoft.Extensions.Options;
using Npgsql;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.Silo.Accounts;

/// <summary>
/// Creates the first super_admin when the database has none. Every silo runs this at start; they all register the
/// same fixed id, so a race between silos ends with one account. A missing password outside Development stops the
/// silo's start; a cluster that is not answering yet only delays the registration, which is retried.
/// </summary>
internal sealed partial class AdminBootstrapper(
    IGrainFactory grains,
    NpgsqlDataSource dataSource,
    IOptions<BootstrapSettings> settings,
    IHostEnvironment environment,
    ILogger<AdminBootstrapper> logger) : BackgroundService
{
    private const string DevelopmentPassword = "admin123";

    internal static readonly Guid BootstrapAdminId = new("0f0f0f0f-0000-4000-8000-000000000001");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using (var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'super_admin')"))
        {
            if ((bool)(await command.ExecuteScalarAsync(stoppingToken))!)
            {
                return;
            }
        }

        // Thrown from here, this stops the host: a silo must not run without a way to administer the platform.
        var password = settings.Value.AdminPassword ?? (environment.IsDevelopment() ? DevelopmentPassword : null);
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException(
                "There is no super_admin yet and Owl:Bootstrap:AdminPassword is not set; outside Development it is required.");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RegisterAsync(settings.Value, password);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                LogRetry(attempt, e);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stoppingToken);
            }
        }
    }

    private async Task RegisterAsync(BootstrapSettings s, string password)
    {
        var result = await grains.Reference<IUserGrain>(BootstrapAdminId)
            .RegisterAsync(new RegisterCommand(s.AdminEmail, s.AdminUsername, password, "Administrator", UserRole.SuperAdmin));
        if (result.Status == AccountStatus.Ok)
        {
            LogCreated(s.AdminEmail);
        }
        else if (result.Status != AccountStatus.AlreadyExists)
        {
            LogNotCreated(s.AdminEmail, result.Status);
        }
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Creating the first super_admin failed (attempt {Attempt}); retrying")]
    private partial void LogRetry(int attempt, Exception exception);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Created the first super_admin {Email}")]
    private partial void LogCreated(string email);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Could not create the first super_admin {Email}: {Status}")]
    private partial void LogNotCreated(string email, AccountStatus status);
}
