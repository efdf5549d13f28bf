namespace OwlFactory.Database.Batching;

/// <summary>
/// What a write wants announced once its batch commits: a NOTIFY on <paramref name="Channel"/>. A batch sends one
/// NOTIFY per channel (more when the payload would pass PostgreSQL's limit) whose payload counts the batch's notices
/// by key (<c>key=count,key=count</c>), so listeners learn what happened, not just that something did. Keys are
/// URI-escaped; <see cref="Notifications.NoticePayload"/> reads them back.
/// <para>
/// A notice is sent in a transaction of its own right after the batch's (see <see cref="WriteBatcher"/>), unless it
/// is <paramref name="Atomic"/>: then it commits with the write itself, so no crash can keep the write and lose the
/// notice (a token revocation). Every other notice is a hint whose loss costs a re-check, never correctness.
/// </para>
/// </summary>
public sealed record BatchNotice(string Channel, string Key, bool Atomic = false);
