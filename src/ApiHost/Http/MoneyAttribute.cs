using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace OwlFactory.ApiHost.Http;

/// <summary>An amount of credits: within [min, max] and with at most two decimal places.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MoneyAttribute(double minimum, double maximum) : ValidationAttribute
{
    public decimal Minimum { get; } = (decimal)minimum;

    public decimal Maximum { get; } = (decimal)maximum;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) => value switch
    {
        null => ValidationResult.Success,
        decimal d when d < Minimum || d > Maximum => Fail(validationContext,
            string.Create(CultureInfo.InvariantCulture, $"must be between {Minimum:0.00} and {Maximum:0.00}")),
        decimal d when decimal.Round(d, 2) != d => Fail(validationContext, "must have at most two decimal places"),
        _ => ValidationResult.Success,
    };

    private static ValidationResult Fail(ValidationContext context, string message)
        => new(message, context.MemberName is { } member ? [member] : null);
}
