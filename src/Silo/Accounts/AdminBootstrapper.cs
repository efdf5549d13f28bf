using Microsoft.Extensions.Options;
using Npgsql;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.Silo.Accounts;

/// <summary>
/// Creates the first super_admin when the database has none. Every silo runs this at start; they all register the
/// same fixed id, so a race between silos ends with one account.
/// </summary>
internal sealed partial class AdminBootstrapper(
    IGrainFactory grains,
    NpgsqlDataSource dataSource,
    IOptions<BootstrapSettings> settings,
    IHostEnvironment environment,
    ILogger<AdminBootstrapper> logger) : IHostedService
{
    private const string DevelopmentPassword = "admin123";

    internal static readonly Guid BootstrapAdminId = new("0f0f0f0f-0000-4000-8000-000000000001");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'super_admin')");
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            return;
        }

        var s = settings.Value;
        var password = s.AdminPassword ?? (environment.IsDevelopment() ? DevelopmentPassword : null);
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException(
                "There is no super_admin yet and Owl:Bootstrap:AdminPassword is not set; outside Development it is required.");
        }

        var result = await grains.GetGrain<IUserGrain>(BootstrapAdminId)
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Created the first super_admin {Email}")]
    private partial void LogCreated(string email);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Could not create the first super_admin {Email}: {Status}")]
    private partial void LogNotCreated(string email, AccountStatus status);
}
