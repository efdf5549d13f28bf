using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace OwlFactory.ApiHost.Logs;

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
