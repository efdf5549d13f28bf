using System.Globalization;
using Npgsql;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;
using OwlFactory.GrainInterfaces.Billing;
using OwlFactory.GrainInterfaces.Recharge;
using OwlFactory.GrainInterfaces.Tasks;
using OwlFactory.Grains.Admin;
using OwlFactory.Grains.Tasks;

namespace OwlFactory.Grains.Accounts;

public sealed class UserGrain(UserStore store, TaskStore tasks, SystemConfigCache config, TimeProvider clock) : Grain, IUserGrain
{
    private UserState? _state;

    // The user's pending and running tasks: what max_concurrent_tasks_per_user counts.
    private ActiveTasks _active = new([]);
    private int _taskCount;

    // The keys of the latest submissions and the tasks they created: a resent submit is answered without a query.
    private const int RememberedSubmissions = 128;
    private static readonly TimeSpan OperationKeyLookupWindow = TimeSpan.FromMinutes(1);

    // How far the clocks of an API host (which stamps operation ids) and this silo may disagree.
    private static readonly TimeSpan ClockSkewMargin = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, TaskRecord> _submitted = new(StringComparer.Ordinal);
    private readonly Queue<string> _submittedOrder = new();
    private DateTimeOffset _activatedAt;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedAt = clock.GetUtcNow();
        _state = await store.LoadAsync(Id, cancellationToken);
        if (_state is not null)
        {
            (var active, _taskCount) = await tasks.LoadUserTasksAsync(Id, cancellationToken);
            _active = new ActiveTasks(active);
        }
    }

    public async Task<RegisterResult> RegisterAsync(RegisterCommand command)
    {
        if (_state is not null)
        {
            // The same registration sent again (its first try's answer was lost with a silo): the same answer.
            return SameRegistration(_state, command)
                ? new RegisterResult(AccountStatus.Ok, ToProfile(_state))
                : new RegisterResult(AccountStatus.AlreadyExists, null);
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

    private static bool SameRegistration(UserState state, RegisterCommand command)
        => string.Equals(state.Email, command.Email.Trim(), StringComparison.OrdinalIgnoreCase)
            && string.Equals(state.Username, command.Username.Trim(), StringComparison.Ordinal)
            && state.Role == command.Role
            && PasswordHasher.Verify(command.Password, state.PasswordHash);

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
        => Task.FromResult(_state is null ? null : new UserSession(_state.Role, _state.IsActive, _state.TokenVersion, ToProfile(_state), _state.Version));

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

    public Task<CreditResult> CreditRechargeAsync(Guid recordId, decimal amount) => CreditAsync(recordId, amount, claim: null);

    public async Task<CreditResult> CreditClaimedRechargeAsync(RechargeClaim claim)
    {
        try
        {
            return await CreditAsync(claim.RecordId, claim.Amount, claim);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "recharge_records" })
        {
            // Nothing was written: the record's key belongs to an earlier redemption.
            return new CreditResult(AccountStatus.RedemptionTaken, false, 0m);
        }
    }

    private async Task<CreditResult> CreditAsync(Guid recordId, decimal amount, RechargeClaim? claim)
    {
        if (_state is null)
        {
            return new CreditResult(AccountStatus.NotFound, false, 0m);
        }

        var next = _state.Copy();
        next.Balance += amount;
        next.UpdatedAt = Now();
        var entry = new LedgerEntry("recharge", amount, 0m, $"recharge:{recordId}", recordId, "recharge code redeemed", null, next.UpdatedAt);
        var (applied, balanceAfter) = await this.WriteOrReloadAsync(() => store.ApplyLedgerEntryAsync(Id, next, entry, claim));
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

    public async Task<TaskResult> SubmitTaskAsync(TaskSubmission submission)
    {
        if (_state is null)
        {
            return TaskResult.Of(TaskOutcome.NotFound);
        }

        if (submission.StoredKey is { } key && await FindSubmittedAsync(key, submission.KeyIsOperationId ? submission.OperationId : null) is { } earlier)
        {
            return TaskResult.Of(TaskOutcome.Ok, earlier.ToView());
        }

        var now = Now();
        var draft = new TaskRecord(
            Id: Guid.NewGuid(), UserId: Id, Title: submission.Title, Description: submission.Description,
            TaskType: submission.TaskType, Priority: submission.Priority, EstimatedDuration: submission.EstimatedDuration,
            ConfigJson: submission.ConfigJson, ResultJson: null, ErrorMessage: null, Status: TaskStatuses.Pending,
            Progress: 0, GpuServerId: null, Attempt: 1, LostRuns: 0, HoldKey: "", HoldAmount: 0m, Price: 0m, Cost: 0m,
            TimeoutSeconds: 0, IdempotencyKey: submission.StoredKey, AssignedAt: null, StartedAt: null,
            CompletedAt: null, CreatedAt: now, UpdatedAt: now, DeletedAt: null, Version: 0);
        var reservation = await ReserveAsync(draft, expectedVersion: 0, "submitted; queued", isNewTask: true, submission.Audit);
        if (reservation.Written is { } written && submission.StoredKey is { } stored)
        {
            RememberSubmitted(stored, written);
        }

        return reservation.Result;
    }

    /// <summary>
    /// The task an earlier call with this key created. Recent keys are answered from memory. A key made from a
    /// request's operation id can only come back as a resend of that request, so the table is asked only when a try of it
    /// may have run before this activation (on a silo now gone): when the id's own time stamp (a version 7 id) is not
    /// clearly after this activation began, or, for an id without one, in the first minute of this activation. A
    /// caller's Idempotency-Key may come back at any time, so it is always looked up.
    /// </summary>
    private async Task<TaskRecord?> FindSubmittedAsync(string key, Guid? operationId)
    {
        if (_submitted.TryGetValue(key, out var remembered))
        {
            return remembered;
        }

        if (operationId is { } id && !MayPredateActivation(id))
        {
            return null;
        }

        return await tasks.FindByIdempotencyKeyAsync(Id, key);
    }

    private bool MayPredateActivation(Guid operationId)
    {
        if (operationId.Version != 7)
        {
            return clock.GetUtcNow() - _activatedAt <= OperationKeyLookupWindow;
        }

        Span<byte> bytes = stackalloc byte[16];
        operationId.TryWriteBytes(bytes, bigEndian: true, out _);
        var stampedMs = ((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5];
        return DateTimeOffset.FromUnixTimeMilliseconds(stampedMs) <= _activatedAt + ClockSkewMargin;
    }

    private void RememberSubmitted(string key, TaskRecord task)
    {
        if (_submitted.TryAdd(key, task))
        {
            _submittedOrder.Enqueue(key);
            while (_submittedOrder.Count > RememberedSubmissions)
            {
                _submitted.Remove(_submittedOrder.Dequeue());
            }
        }
    }

    public Task<TaskReservation> ReserveRetryAsync(TaskRecord current, TaskRecord retried)
        => _state is null
            ? Task.FromResult(TaskReservation.Refused(TaskResult.Of(TaskOutcome.NotFound)))
            : ReserveAsync(retried, current.Version, $"retried: attempt {retried.Attempt} queued", isNewTask: false);

    public async Task<TaskRecord> SettleTaskAsync(TaskRecord current, TaskRecord ended, string logLine)
    {
        var user = _state ?? throw new InvalidOperationException($"task {current.Id} belongs to user {Id}, who does not exist");
        var (cost, release) = TaskBilling.Settle(current.HoldAmount, ended.Cost);
        var updated = user.Copy();
        updated.Balance -= cost;
        updated.Held -= current.HoldAmount;
        updated.UpdatedAt = ended.UpdatedAt;
        var entries = new List<LedgerEntry>();
        if (cost > 0)
        {
            entries.Add(new LedgerEntry("charge", -cost, -cost, $"charge:{current.HoldKey}", current.Id,
                string.Create(CultureInfo.InvariantCulture, $"task {ended.Status}: {cost:0.00} for the time run"), null, ended.UpdatedAt));
        }

        if (release > 0)
        {
            entries.Add(new LedgerEntry("release", 0m, -release, $"release:{current.HoldKey}", current.Id,
                "rest of the task's hold released", null, ended.UpdatedAt));
        }

        var write = new TaskWrite(ended with { Cost = cost }, current.Version, QueueChange.Remove, logLine);
        var written = await this.WriteOrReloadAsync(() => store.ApplyWithTaskAsync(Id, updated, entries, write));
        if (entries.Count > 0)
        {
            _state = updated;
        }

        _active.Ended(current.Id);
        return written;
    }

    public async Task TaskDeletedAsync(Guid taskId)
    {
        _taskCount = Math.Max(0, _taskCount - 1);
        if (_state is not null)
        {
            await store.AnnounceAsync(Id, _state.Version);
        }
    }

    /// <summary>
    /// The rules of a submit and a retry, then the hold and the task's write in one transaction. The grain's memory
    /// changes at once after the commit (no await between), so a session read never sees half of it.
    /// </summary>
    private async Task<TaskReservation> ReserveAsync(TaskRecord next, long expectedVersion, string logLine, bool isNewTask, AuditEntry? audit = null)
    {
        var user = _state!;
        var live = config.Current;
        if (live.MaintenanceMode)
        {
            return TaskReservation.Refused(new TaskResult(TaskOutcome.Maintenance, null, Message: live.MaintenanceMessage));
        }

        if (!live.TaskPrices.TryGetValue(next.TaskType, out var price))
        {
            return TaskReservation.Refused(TaskResult.Of(TaskOutcome.UnknownTaskType));
        }

        if (_active.IsFull(live.MaxConcurrentTasksPerUser))
        {
            return TaskReservation.Refused(new TaskResult(TaskOutcome.LimitExceeded, null, Message: ActiveTasks.LimitMessage(live.MaxConcurrentTasksPerUser)));
        }

        var hold = TaskBilling.Hold(price, live.DefaultTaskTimeout);
        var available = user.Balance - user.Held;
        if (available < hold)
        {
            return TaskReservation.Refused(new TaskResult(TaskOutcome.InsufficientBalance, null, hold, available));
        }

        var task = next with
        {
            Price = price,
            HoldAmount = hold,
            TimeoutSeconds = live.DefaultTaskTimeout,
            HoldKey = TaskBilling.HoldKey(next.Id, next.Attempt),
        };
        var updated = user.Copy();
        updated.Held += hold;
        updated.UpdatedAt = next.UpdatedAt;
        LedgerEntry[] entries = hold > 0
            ? [new LedgerEntry("hold", 0m, hold, $"hold:{task.HoldKey}", task.Id,
                string.Create(CultureInfo.InvariantCulture, $"held for task {task.Id} (attempt {task.Attempt}): {price:0.00##}/min for up to {live.DefaultTaskTimeout} s"),
                null, next.UpdatedAt)]
            : [];
        var written = await this.WriteOrReloadAsync(() => store.ApplyWithTaskAsync(Id, updated, entries, new TaskWrite(task, expectedVersion, QueueChange.Enqueue, logLine), audit));
        _active.Queued(task.Id);
        if (isNewTask)
        {
            _taskCount++;
        }

        if (entries.Length > 0)
        {
            _state = updated;
        }
        else if (isNewTask)
        {
            // Nothing held, so the row did not change and announced nothing: the count did.
            await store.AnnounceAsync(Id, user.Version);
        }

        return new TaskReservation(new TaskResult(TaskOutcome.Ok, written.ToView(), Audited: audit is not null), written);
    }

    private async Task<UserWriteOutcome> WriteAsync(UserState next)
    {
        // A new token version, role or active flag ends the account's earlier tokens on every API host.
        var revokes = _state is null || next.TokenVersion != _state.TokenVersion || next.Role != _state.Role || next.IsActive != _state.IsActive;
        var outcome = await this.WriteOrReloadAsync(() => store.UpdateAsync(Id, next, revokes));
        if (outcome == UserWriteOutcome.Written)
        {
            _state = next;
        }

        return outcome;
    }

    private DateTime Now() => clock.UtcNowMilliseconds();

    private UserProfile ToProfile(UserState s) => new(
        Id, s.Email, s.Username, s.FullName, s.Role, s.IsActive, s.Balance, s.Balance - s.Held, _taskCount, s.CreatedAt, s.UpdatedAt, s.LastLogin);

    private static AccountStatus ToStatus(UserWriteOutcome outcome) => outcome switch
    {
        UserWriteOutcome.EmailTaken => AccountStatus.EmailTaken,
        UserWriteOutcome.UsernameTaken => AccountStatus.UsernameTaken,
        UserWriteOutcome.AlreadyExists => AccountStatus.AlreadyExists,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not a refused write"),
    };
}
