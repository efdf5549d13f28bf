using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using OwlFactory.ApiHost.Http;

namespace OwlFactory.ApiHost.Recharge;

public sealed class CodeListQuery : PageQuery
{
    [FromQuery(Name = "status")]
    [AllowedValues(null, "active", "used", "expired", "disabled", ErrorMessage = "must be one of active, used, expired, disabled")]
    public string? Status { get; init; }

    [FromQuery(Name = "batch_id")]
    public Guid? BatchId { get; init; }
}
