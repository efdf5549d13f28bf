using System.Collections.Immutable;
using OwlFactory.GrainInterfaces.Fleet;

namespace OwlFactory.Grains.Fleet;

/// <summary>
/// A server's slots: the tasks it holds (assigned or running), set against what its agent reports running. An
/// assignment is handed out on every poll until the agent reports the task running; a task the agent runs that the
/// server does not hold is to be stopped. The tasks table is the truth; <see cref="ReconcileAsync"/> brings the
/// slots in line with it.
/// </summary>
internal sealed class ServerSlots(TimeProvider clock)
{
    private readonly Dictionary<Guid, Slot> _slots = [];
    private ImmutableArray<Guid> _reported = [];
    private HashSet<Guid> _cancelSent = [];

    public int Count => _slots.Count;

    /// <summary>When the slots were last brought in line with the tasks table (at first, when they were created).</summary>
    public DateTime ReconciledAt { get; private set; } = clock.UtcNowMilliseconds();

    /// <summary>A task assigned to this server takes a slot.</summary>
    public void Assign(AgentAssignment assignment) => _slots[assignment.TaskId] = new Slot(assignment, Now());

    /// <summary>A task has ended or moved: false when it held no slot here.</summary>
    public bool Release(Guid taskId) => _slots.Remove(taskId);

    /// <summary>The server is gone: every slot is emptied, and the tasks that held them are returned.</summary>
    public List<Guid> TakeAll()
    {
        var all = _slots.Keys.ToList();
        _slots.Clear();
        return all;
    }

    /// <summary>The agent's report of what it runs: an assignment it runs is no longer handed out.</summary>
    public void AgentRuns(ImmutableArray<Guid> running)
    {
        _reported = running;
        foreach (var id in running)
        {
            if (_slots.TryGetValue(id, out var slot))
            {
                slot.Started = true;
            }
        }
    }

    /// <summary>An assignment the agent has not been given yet, or a task it must stop that it was not told about.</summary>
    public bool HasNews
        => _slots.Values.Any(s => s is { Started: false, Delivered: false, Assignment: not null })
           || _reported.Any(id => !_slots.ContainsKey(id) && !_cancelSent.Contains(id));

    /// <summary>The answer to a poll: every assignment not yet started, and every task the agent runs that is not held here.</summary>
    public HeartbeatReply Reply(int heartbeatIntervalSeconds)
    {
        var assignments = new List<AgentAssignment>();
        foreach (var slot in _slots.Values.Where(s => s is { Started: false, Assignment: not null }))
        {
            slot.Delivered = true;
            assignments.Add(slot.Assignment!);
        }

        var cancel = _reported.Where(id => !_slots.ContainsKey(id)).ToImmutableArray();
        _cancelSent = [.. cancel];
        return new HeartbeatReply(heartbeatIntervalSeconds, [.. assignments], cancel);
    }

    /// <summary>
    /// Brings the slots in line with the tasks table's <paramref name="held"/>: adds what the table says this server
    /// holds (an assignment still to start is fetched again through <paramref name="assign"/>), drops what it no
    /// longer holds once the slot is older than <paramref name="grace"/> (a newer slot may be a write the read did not
    /// see yet).
    /// </summary>
    public async Task ReconcileAsync(
        IReadOnlyCollection<(Guid TaskId, bool Started)> held, TimeSpan grace, Func<Guid, Task<AgentAssignment?>> assign)
    {
        var now = Now();
        var ids = held.Select(h => h.TaskId).ToHashSet();
        foreach (var (id, slot) in _slots.ToList())
        {
            if (!ids.Contains(id) && now - slot.Since >= grace)
            {
                _slots.Remove(id);
            }
        }

        foreach (var (id, started) in held.Where(h => !_slots.ContainsKey(h.TaskId)))
        {
            var assignment = started ? null : await assign(id);
            if (started || assignment is not null)
            {
                _slots[id] = new Slot(assignment, now) { Started = started };
            }
        }

        ReconciledAt = now;
    }

    private DateTime Now() => clock.UtcNowMilliseconds();

    /// <summary>A task this server holds; <c>Assignment</c> is null for one already running when the slots were rebuilt.</summary>
    private sealed class Slot(AgentAssignment? assignment, DateTime since)
    {
        public AgentAssignment? Assignment { get; } = assignment;

        public DateTime Since { get; } = since;

        public bool Started { get; set; }

        public bool Delivered { get; set; }
    }
}
