using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace OwlFactory.ApiHost.Logs;

public sealed class TaskLogQuery
{
    [FromQuery(Name = "after")]
    [Range(0, long.MaxValue, ErrorMessage = "must be a line id (0 or more)")]
    public long? After { get; init; }

    [FromQuery(Name = "limit")]
    [Range(1, 200, ErrorMessage = "must be between 1 and 200")]
    public int? Limit { get; init; }

    [FromQuery(Name = "follow")]
    public bool? Follow { get; init; }
}
