namespace OwlFactory.ApiHost.Http;

public static class Paged
{
    public static PagedList<T> Of<T>(IReadOnlyList<T> items, long total, PageQuery query)
        => new(items, total, query.Page, query.PageSize, (int)((total + query.PageSize - 1) / query.PageSize));
}
