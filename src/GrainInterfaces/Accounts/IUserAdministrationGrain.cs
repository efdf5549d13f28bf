namespace OwlFactory.GrainInterfaces.Accounts;

/// <summary>
/// The rules of admin edits that span accounts: only a super_admin changes roles or edits an admin; nobody
/// deactivates or demotes themselves; the last active super_admin stays. Key: 0. Edits go through it one at a time,
/// so two concurrent demotions cannot both pass the last-super_admin check; admin edits are rare.
/// </summary>
[Alias("owl.IUserAdministrationGrain")]
public interface IUserAdministrationGrain : IGrainWithIntegerKey
{
    [Alias("UpdateUser")]
    Task<AccountResult> UpdateUserAsync(Guid actorId, Guid targetId, AdminUserChange change, Guid operationId);
}
