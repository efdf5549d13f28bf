using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace OwlFactory.ApiHost.Http;

/// <summary><c>page</c> (from 1, default 1) and <c>page_size</c> (1-100, default 20) of an ordinary list.</summary>
public class PageQuery
{
    [FromQuery(Name = "page")]
    [Range(1, 1_000_000, ErrorMessage = "must be at least 1")]
    public int? Page { get; init; }

    [FromQuery(Name = "page_size")]
    [Range(1, 100, ErrorMessage = "must be between 1 and 100")]
    public int? PageSize { get; init; }

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? 20;

    public int Offset => (PageNumber - 1) * Size;
}
