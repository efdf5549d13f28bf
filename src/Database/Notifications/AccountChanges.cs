using System.Globalization;
using OwlFactory.Database.Batching;

namespace OwlFactory.Database.Notifications;

/// <summary>
/// Token revocation and profile freshness across API hosts: every change of an account (its <c>users</c> row, or
/// what its grain counts beside it) is announced on one channel, in the transaction that makes it where there is
/// one. Each API host keeps the sessions it checks in a <see cref="CoherentCache{TKey,TValue}"/> and drops one when
/// its account's change is heard; the key is the account's id and the row version the change brought.
/// </summary>
public static class AccountChanges
{
    public const string Channel = "owl_accounts";

    /// <summary>Announces that account <paramref name="id"/> changed, its row now at <paramref name="version"/>.</summary>
    public static BatchNotice Notice(Guid id, long version)
        => new(Channel, string.Create(CultureInfo.InvariantCulture, $"{id:N}.{version}"));

    /// <summary>The accounts and versions a payload names; null when it names none (anything may have changed).</summary>
    public static IReadOnlyList<(Guid Id, long Version)>? Read(string payload)
    {
        if (NoticePayload.Read(payload) is not { } entries)
        {
            return null;
        }

        var changes = new List<(Guid, long)>(entries.Count);
        foreach (var (key, _) in entries)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && Guid.TryParseExact(key.AsSpan(0, dot), "N", out var id)
                && long.TryParse(key.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                changes.Add((id, version));
            }
        }

        return changes;
    }
}
