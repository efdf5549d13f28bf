using Npgsql;

namespace OwlFactory.ApiHost.Accounts;

/// <summary>Read side of the <c>users</c> table for the API: finding an account by email at login.</summary>
public sealed class UserDirectory(NpgsqlDataSource dataSource)
{
    public async Task<Guid?> FindIdByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM users WHERE lower(email) = lower($1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = email.Trim() });
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }
}
