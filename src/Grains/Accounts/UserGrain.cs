using System.Globalization;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.Grains.Accounts;

public sealed class UserGrain(UserStore store, TimeProvider clock) : Grain, IUserGrain
{
    private UserState? _state;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
        => _state = await store.LoadAsync(Id, cancellationToken);

    public async Task<RegisterResult> RegisterAsync(RegisterCommand command)
    {
        if (_state is not null)
        {
            return new RegisterResult(AccountStatus.AlreadyExists, null);
        }

        var now = Now();
        var state = new UserState
        {
            Email = command.Email.Trim(),
            Username = command.Username.Trim(),
            FullName = command.FullName,
            PasswordHash = PasswordHasher.Hash(command.Password),
            Role = command.Role,
            IsActive = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var outcome = await store.InsertAsync(Id, state);
        if (outcome != UserWriteOutcome.Written)
        {
            return new RegisterResult(ToStatus(outcome), null);
        }

        _state = state;
        return new RegisterResult(AccountStatus.Ok, ToProfile(state));
    }

    public async Task<LoginResult> LoginAsync(string password)
    {
        if (_state is null)
        {
            // Spend the time a real check takes, so an unknown email cannot be told from a wrong password.
            PasswordHasher.Verify(password, PasswordHasher.Decoy);
            return new LoginResult(AccountStatus.NotFound, null, 0);
        }

        if (!PasswordHasher.Verify(password, _state.PasswordHash))
        {
            return new LoginResult(AccountStatus.WrongPassword, null, 0);
        }

        if (!_state.IsActive)
        {
            return new LoginResult(AccountStatus.Deactivated, null, 0);
        }

        var next = _state.Copy();
        next.LastLogin = Now();
        await WriteAsync(next);
        return new LoginResult(AccountStatus.Ok, ToProfile(next), next.TokenVersion);
    }

    public Task<UserSession?> GetSessionAsync()
        => Task.FromResult(_state is null ? null : new UserSession(_state.Role, _state.IsActive, _state.TokenVersion));

    public Task<UserProfile?> GetProfileAsync()
        => Task.FromResult(_state is null ? null : ToProfile(_state));

    public async Task<AccountResult> UpdateProfileAsync(string? username, string? fullName)
    {
        if (_state is null)
        {
            return new AccountResult(AccountStatus.NotFound);
        }

        var next = _state.Copy();
        next.Username = username?.Trim() ?? next.Username;
        next.FullName = fullName ?? next.FullName;
        next.UpdatedAt = Now();
        var outcome = await WriteAsync(next);
        return outcome == UserWriteOutcome.Written
            ? new AccountResult(AccountStatus.Ok, ToProfile(next))
            : new AccountResult(ToStatus(outcome));
    }

    public async Task<LoginResult> ChangePasswordAsync(string currentPassword, string newPassword)
    {
        if (_state is null)
        {
            return new LoginResult(AccountStatus.NotFound, null, 0);
        }

        if (!PasswordHasher.Verify(currentPassword, _state.PasswordHash))
        {
            return new LoginResult(AccountStatus.WrongPassword, null, 0);
        }

        var next = _state.Copy();
        next.PasswordHash = PasswordHasher.Hash(newPassword);
        next.TokenVersion++;
        next.UpdatedAt = Now();
        await WriteAsync(next);
        return new LoginResult(AccountStatus.Ok, ToProfile(next), next.TokenVersion);
    }

    public Task<UserStats?> GetStatsAsync()
        => Task.FromResult(_state is null ? null : new UserStats(0, 0, 0, 0m, _state.Balance, null));

    public async Task<CreditResult> CreditRechargeAsync(Guid recordId, decimal amount)
    {
        if (_state is null)
        {
            return new CreditResult(AccountStatus.NotFound, false, 0m);
        }

        var next = _state.Copy();
        next.Balance += amount;
        next.UpdatedAt = Now();
        var entry = new LedgerEntry("recharge", amount, 0m, $"recharge:{recordId}", recordId, "recharge code redeemed", null, next.UpdatedAt);
        var (applied, balanceAfter) = await this.WriteOrReloadAsync(() => store.ApplyLedgerEntryAsync(Id, next, entry));
        if (applied)
        {
            _state = next;
        }

        return new CreditResult(AccountStatus.Ok, applied, balanceAfter);
    }

    public async Task<AccountResult> AdminApplyAsync(AdminUserChange change, Guid actorId, Guid operationId)
    {
        if (_state is null)
        {
            return new AccountResult(AccountStatus.NotFound);
        }

        var next = _state.Copy();
        next.Role = change.Role ?? next.Role;
        next.IsActive = change.IsActive ?? next.IsActive;
        next.Username = change.Username?.Trim() ?? next.Username;
        next.FullName = change.FullName ?? next.FullName;
        if (next.Role != _state.Role || next.IsActive != _state.IsActive)
        {
            // Tokens carry the role; a deactivated account must lose its sessions at once.
            next.TokenVersion++;
        }

        next.UpdatedAt = Now();
        var profileChanged = next.Role != _state.Role || next.IsActive != _state.IsActive
            || next.Username != _state.Username || next.FullName != _state.FullName;
        if (profileChanged)
        {
            var outcome = await WriteAsync(next);
            if (outcome != UserWriteOutcome.Written)
            {
                return new AccountResult(ToStatus(outcome));
            }
        }

        if (change.Balance is { } target && target != _state.Balance)
        {
            if (target < _state.Held)
            {
                return new AccountResult(AccountStatus.BalanceBelowHeld, ToProfile(_state));
            }

            var adjusted = _state.Copy();
            var from = adjusted.Balance;
            adjusted.Balance = target;
            adjusted.UpdatedAt = Now();
            var entry = new LedgerEntry("adjustment", target - from, 0m, $"adjustment:{operationId}", operationId,
                string.Create(CultureInfo.InvariantCulture, $"admin set the balance from {from:0.00} to {target:0.00}"), actorId, adjusted.UpdatedAt);
            var (applied, _) = await this.WriteOrReloadAsync(() => store.ApplyLedgerEntryAsync(Id, adjusted, entry));
            if (applied)
            {
                _state = adjusted;
            }
        }

        return new AccountResult(AccountStatus.Ok, ToProfile(_state));
    }

    private async Task<UserWriteOutcome> WriteAsync(UserState next)
    {
        var outcome = await this.WriteOrReloadAsync(() => store.UpdateAsync(Id, next));
        if (outcome == UserWriteOutcome.Written)
        {
            _state = next;
        }

        return outcome;
    }

    private DateTime Now() => clock.UtcNowMilliseconds();

    private UserProfile ToProfile(UserState s) => new(
        Id, s.Email, s.Username, s.FullName, s.Role, s.IsActive, s.Balance, s.Balance - s.Held, 0, s.CreatedAt, s.UpdatedAt, s.LastLogin);

    private static AccountStatus ToStatus(UserWriteOutcome outcome) => outcome switch
    {
        UserWriteOutcome.EmailTaken => AccountStatus.EmailTaken,
        UserWriteOutcome.UsernameTaken => AccountStatus.UsernameTaken,
        UserWriteOutcome.AlreadyExists => AccountStatus.AlreadyExists,
        _ => AccountStatus.Ok,
    };
}
