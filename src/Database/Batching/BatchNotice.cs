namespace OwlFactory.Database.Batching;

/// <summary>
/// What a write wants announced once its batch commits: a NOTIFY on <paramref name="Channel"/>. A batch sends one
/// NOTIFY per channel whose payload counts the batch's notices by key (<c>key=count,key=count</c>), so listeners learn
/// how much happened, not just that something did. Keys are URI-escaped.
/// </summary>
public sealed record BatchNotice(string Channel, string Key);
