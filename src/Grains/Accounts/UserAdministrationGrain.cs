using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Accounts;

namespace OwlFactory.Grains.Accounts;

public sealed class UserAdministrationGrain(UserStore store) : Grain, IUserAdministrationGrain
{
    public async Task<AccountResult> UpdateUserAsync(Guid actorId, Guid targetId, AdminUserChange change, Guid operationId)
    {
        var actor = await GrainFactory.Reference<IUserGrain>(actorId).GetProfileAsync();
        var target = await GrainFactory.Reference<IUserGrain>(targetId).GetProfileAsync();
        if (target is null)
        {
            return new AccountResult(AccountStatus.NotFound);
        }

        if (actor is not { IsActive: true } || !UserRole.IsAdmin(actor.Role))
        {
            return new AccountResult(AccountStatus.Forbidden);
        }

        var changesRole = change.Role is not null && change.Role != target.Role;
        var superAdminOnly = changesRole || (UserRole.IsAdmin(target.Role) && actorId != targetId);
        if (superAdminOnly && actor.Role != UserRole.SuperAdmin)
        {
            return new AccountResult(AccountStatus.Forbidden);
        }

        var deactivates = change.IsActive == false && target.IsActive;
        var demotes = changesRole && Rank(change.Role!) < Rank(target.Role);
        if (actorId == targetId && (deactivates || demotes))
        {
            return new AccountResult(AccountStatus.SelfChangeRefused);
        }

        if (target is { Role: UserRole.SuperAdmin, IsActive: true } && (deactivates || demotes)
            && await store.CountActiveSuperAdminsAsync(excluding: targetId) == 0)
        {
            return new AccountResult(AccountStatus.LastSuperAdmin);
        }

        return await GrainFactory.Reference<IUserGrain>(targetId).AdminApplyAsync(change, actorId, operationId);
    }

    private static int Rank(string role) => role switch
    {
        UserRole.SuperAdmin => 2,
        UserRole.Admin => 1,
        _ => 0,
    };
}
