using System.ComponentModel.DataAnnotations;
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

public sealed class SystemLogQuery : LogPageQuery
{
    [FromQuery(Name = "level")]
    [AllowedValues(null, "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "debug", "info", "warning", "error", "critical",
        ErrorMessage = "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")]
    public string? Level { get; init; }

    [FromQuery(Name = "search")]
    [MaxLength(200, ErrorMessage = "must be at most 200 characters")]
    public string? Search { get; init; }
}

public sealed class UserActionQuery : LogPageQuery
{
    [FromQuery(Name = "user_id")]
    public Guid? UserId { get; init; }

    [FromQuery(Name = "action")]
    [MaxLength(200, ErrorMessage = "must be at most 200 characters")]
    public string? Action { get; init; }
}
