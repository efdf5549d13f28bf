namespace OwlFactory.ApiHost.Http;

/// <summary>A page of a list, as the contract shapes it inside <c>data</c>.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize, int TotalPages);
