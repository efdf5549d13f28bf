using System.Globalization;
using System.Text;
using OwlFactory.Database.Batching;

namespace OwlFactory.Database.Notifications;

/// <summary>
/// The payload of a batch's NOTIFY: <c>key=count,key=count</c> with URI-escaped keys. An empty payload means "something
/// happened on this channel, the batch could not say what": a listener then assumes anything may have changed.
/// </summary>
public static class NoticePayload
{
    /// <summary>PostgreSQL refuses payloads of 8000 bytes or more; each NOTIFY stays well under.</summary>
    public const int MaxLength = 7000;

    /// <summary>The payloads announcing <paramref name="notices"/> (all of one channel): as few as fit under <see cref="MaxLength"/>.</summary>
    public static IEnumerable<string> Write(IEnumerable<BatchNotice> notices)
    {
        var payload = new StringBuilder();
        foreach (var key in notices.GroupBy(n => n.Key, StringComparer.Ordinal))
        {
            var entry = string.Create(CultureInfo.InvariantCulture, $"{Uri.EscapeDataString(key.Key)}={key.Count()}");
            if (entry.Length > MaxLength)
            {
                // A key too long to send: say "something happened" instead.
                yield return "";
                continue;
            }

            if (payload.Length > 0 && payload.Length + 1 + entry.Length > MaxLength)
            {
                yield return payload.ToString();
                payload.Clear();
            }

            payload.Append(payload.Length > 0 ? "," : "").Append(entry);
        }

        if (payload.Length > 0)
        {
            yield return payload.ToString();
        }
    }

    /// <summary>The keys and counts of <paramref name="payload"/>; null when it does not say (empty).</summary>
    public static IReadOnlyList<(string Key, long Count)>? Read(string payload)
    {
        if (payload.Length == 0)
        {
            return null;
        }

        var entries = new List<(string, long)>();
        foreach (var entry in payload.Split(','))
        {
            var at = entry.LastIndexOf('=');
            if (at > 0 && long.TryParse(entry.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                entries.Add((Uri.UnescapeDataString(entry[..at]), count));
            }
        }

        return entries;
    }
}
