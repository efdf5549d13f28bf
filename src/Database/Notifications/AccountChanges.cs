using System.Globalization;
using OwlFactory.Database.Batching;

namespace OwlFactory.Database.Notifications;

/// <summary>
/// Token revocation and profile freshness across API hosts: every change of an account (its <c>users</c> row, or
/// what its grain counts beside it) is announced on one channel, in the transaction that makes it where there is
/// one. Each API host keeps the sessions it checks in a <see cref="CoherentCache{TKey,TValue}"/> and drops one when
/// its account's change is heard; the key is the account's id, the row version the change brought, and whether it
/// revokes the account's tokens (a new token version, role or active flag) or only changes what the profile shows.
/// </summary>
public static class AccountChanges
{
    public const string Channel = "owl_accounts";

    private const string RevokesMark = ".r";

    /// <summary>
    /// Announces that account <paramref name="id"/> changed, its row now at <paramref name="version"/>. A revocation
    /// commits with its change (a lost one would let a revoked token in until <c>SessionCache.MaxAge</c>); a profile
    /// change is a hint sent right after.
    /// </summary>
    public static BatchNotice Notice(Guid id, long version, bool revokes = false)
        => new(Channel, string.Create(CultureInfo.InvariantCulture, $"{id:N}.{version}{(revokes ? RevokesMark : "")}"), Atomic: revokes);

    /// <summary>The changes a payload names; null when it names none (anything may have changed).</summary>
    public static IReadOnlyList<(Guid Id, long Version, bool Revokes)>? Read(string payload)
    {
        if (NoticePayload.Read(payload) is not { } entries)
        {
            return null;
        }

        var changes = new List<(Guid, long, bool)>(entries.Count);
        foreach (var (entry, _) in entries)
        {
            var revokes = entry.EndsWith(RevokesMark, StringComparison.Ordinal);
            var key = revokes ? entry[..^RevokesMark.Length] : entry;
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && Guid.TryParseExact(key.AsSpan(0, dot), "N", out var id)
                && long.TryParse(key.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                changes.Add((id, version, revokes));
            }
        }

        return changes;
    }
}
