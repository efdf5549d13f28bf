using Microsoft.AspNetCore.Mvc;
using OwlFactory.ApiHost.Http;

namespace OwlFactory.ApiHost.Logs;

/// <summary>Paging of log listings: <c>page_size</c> defaults to 50, at most 200 (PRODUCT.md).</summary>
public class LogPageQuery : PageQuery
{
    protected override int DefaultSize => 50;

    protected override int MaxSize => 200;

    [FromQuery(Name = "start_date")]
    public DateTime? StartDate { get; init; }

    /// <summary>Exclusive; a bare date includes that whole day.</summary>
    [FromQuery(Name = "end_date")]
    public DateTime? EndDate { get; init; }
}
