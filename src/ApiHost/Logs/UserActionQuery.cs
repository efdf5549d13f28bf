using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace OwlFactory.ApiHost.Logs;

public sealed class UserActionQuery : LogPageQuery
{
    [FromQuery(Name = "user_id")]
    public Guid? UserId { get; init; }

    [FromQuery(Name = "action")]
    [MaxLength(200, ErrorMessage = "must be at most 200 characters")]
    public string? Action { get; init; }
}
