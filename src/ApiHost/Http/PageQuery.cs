using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// <c>page</c> (from 1, default 1) and <c>page_size</c> of a list: 1-100, default 20, for ordinary lists; log
/// listings override the bounds (1-200, default 50).
/// </summary>
public class PageQuery : IValidatableObject
{
    [FromQuery(Name = "page")]
    [Range(1, 1_000_000, ErrorMessage = "must be at least 1")]
    public int? Page { get; init; }

    [FromQuery(Name = "page_size")]
    public int? PageSize { get; init; }

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? DefaultSize;

    public int Offset => (PageNumber - 1) * Size;

    protected virtual int DefaultSize => 20;

    protected virtual int MaxSize => 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PageSize is { } size && (size < 1 || size > MaxSize))
        {
            yield return new ValidationResult($"must be between 1 and {MaxSize}", [nameof(PageSize)]);
        }
    }
}
