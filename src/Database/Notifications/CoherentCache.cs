using System.Collections.Concurrent;

namespace OwlFactory.Database.Notifications;

/// <summary>
/// A process-local copy of values whose owner announces every change (a NOTIFY naming the key and the value's new
/// version). A value is served from here only while the announcements are heard; it is dropped when one names it,
/// and a read that began before that drop, or that brings back an older version than the one announced, is served
/// to its caller but not kept. So a kept value is never older than the last change heard for its key.
/// <para>
/// Each entry remembers the newest version announced for its key and the moment (a generation) of the last
/// announcement; a drop leaves an entry with no value (a tombstone) that still remembers both, for as long as a read
/// in flight could outlive it.
/// </para>
/// </summary>
/// <param name="clock">The time entries are aged by.</param>
/// <param name="maxAge">How long a kept value is served at most, announcements or not (a bound on any missed one).</param>
/// <param name="capacity">How many keys may be kept; past it, <see cref="Sweep"/> starts afresh.</param>
public sealed class CoherentCache<TKey, TValue>(TimeProvider clock, TimeSpan maxAge, int capacity)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private long _generation;
    private long _liveSince = long.MaxValue;

    /// <summary>Whether announcements are heard now; until then nothing is served or kept.</summary>
    public bool IsLive => Volatile.Read(ref _liveSince) != long.MaxValue;

    public int Count => _entries.Count;

    /// <summary>Announcements are heard from now on: start afresh (what was kept before may have missed some).</summary>
    public void GoLive()
    {
        var generation = Interlocked.Increment(ref _generation);
        _entries.Clear();
        Volatile.Write(ref _liveSince, generation);
    }

    /// <summary>Announcements may be missed from now on: serve and keep nothing until <see cref="GoLive"/>.</summary>
    public void GoDark()
    {
        Volatile.Write(ref _liveSince, long.MaxValue);
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>The kept value of <paramref name="key"/>, if there is one, fresh enough, and announcements are heard.</summary>
    public TValue? Find(TKey key)
        => IsLive && _entries.TryGetValue(key, out var entry) && entry.Value is { } value
            && clock.GetElapsedTime(entry.Stamp) < maxAge
            ? value
            : null;

    /// <summary>Call before reading a value from its owner; hand the ticket to <see cref="Keep"/> with what the read brought.</summary>
    public long BeginRead() => Interlocked.Read(ref _generation);

    /// <summary>
    /// Keeps <paramref name="value"/> (at <paramref name="version"/>, read since <paramref name="ticket"/>) unless a change
    /// of <paramref name="key"/> was announced after the read began or announced a newer version.
    /// </summary>
    public void Keep(TKey key, TValue value, long version, long ticket)
    {
        if (ticket < Volatile.Read(ref _liveSince))
        {
            return;
        }

        while (true)
        {
            if (!_entries.TryGetValue(key, out var existing))
            {
                if (_entries.TryAdd(key, new Entry(value, version, 0, clock.GetTimestamp())))
                {
                    return;
                }

                continue;
            }

            if (ticket < existing.ChangedAt || version < existing.Version)
            {
                return;
            }

            if (_entries.TryUpdate(key, new Entry(value, version, existing.ChangedAt, clock.GetTimestamp()), existing))
            {
                return;
            }
        }
    }

    /// <summary>A change of <paramref name="key"/> to <paramref name="version"/> was announced (or made here): drop what is kept.</summary>
    public void Changed(TKey key, long version)
    {
        var generation = Interlocked.Increment(ref _generation);
        _entries.AddOrUpdate(
            key,
            static (_, change) => new Entry(null, change.Version, change.Generation, change.Stamp),
            static (_, existing, change) => new Entry(null, Math.Max(existing.Version, change.Version), change.Generation, change.Stamp),
            (Version: version, Generation: generation, Stamp: clock.GetTimestamp()));
    }

    /// <summary>Some change was announced that did not say which: drop everything.</summary>
    public void ChangedAll()
    {
        var liveSince = Interlocked.Increment(ref _generation);
        _entries.Clear();
        if (IsLive)
        {
            Volatile.Write(ref _liveSince, liveSince);
        }
    }

    /// <summary>
    /// Forgets tombstones and values older than <paramref name="age"/> (no read in flight is that old), and everything
    /// when more keys are kept than the capacity.
    /// </summary>
    public void Sweep(TimeSpan age)
    {
        if (_entries.Count > capacity)
        {
            ChangedAll();
            return;
        }

        var now = clock.GetTimestamp();
        foreach (var (key, entry) in _entries)
        {
            if (clock.GetElapsedTime(entry.Stamp, now) > age)
            {
                _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
            }
        }
    }

    // A class, not a record: TryUpdate must compare by reference.
    private sealed class Entry(TValue? value, long version, long changedAt, long stamp)
    {
        public TValue? Value { get; } = value;

        public long Version { get; } = version;

        public long ChangedAt { get; } = changedAt;

        public long Stamp { get; } = stamp;
    }
}
