using System.ComponentModel.DataAnnotations;

namespace OwlFactory.ApiHost.Http;

/// <summary>A timestamp that must lie in the future.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FutureAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
        => value is DateTime t && t.ToUniversalTime() <= DateTime.UtcNow
            ? new ValidationResult("must be in the future", validationContext.MemberName is { } m ? [m] : null)
            : ValidationResult.Success;
}
