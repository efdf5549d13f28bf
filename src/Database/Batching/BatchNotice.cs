namespace OwlFactory.Database.Batching;

/// <summary>
/// What a write wants announced once its batch commits: a NOTIFY on <paramref name="Channel"/>. A batch sends one
/// NOTIFY per channel (more when the payload would pass PostgreSQL's limit) whose payload counts the batch's notices
/// by key (<c>key=count,key=count</c>), so listeners learn what happened, not just that something did. Keys are
/// URI-escaped; <see cref="Notifications.NoticePayload"/> reads them back.
/// </summary>
public sealed record BatchNotice(string Channel, string Key);
