namespace OwlFactory.ApiHost.Http;

public static class Paged
{
    public static PagedList<T> Of<T>(IReadOnlyList<T> items, long total, PageQuery query)
        => new(items, total, query.PageNumber, query.Size, (int)((total + query.Size - 1) / query.Size));
}
