using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// Runs the DataAnnotations declared on an endpoint's request records and answers 422 <c>VALIDATION_ERROR</c> with
/// <c>details.field_errors</c> keyed by the JSON (snake_case) field names. Endpoints whose arguments declare no
/// validation pay nothing.
/// </summary>
internal static class ValidationFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var validated = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (parameter, index))
            .Where(p => HasValidation(p.parameter.ParameterType))
            .Select(p => p.index)
            .ToArray();
        if (validated.Length == 0)
        {
            return next;
        }

        return invocation =>
        {
            var errors = new Dictionary<string, string[]>();
            foreach (var index in validated)
            {
                if (invocation.Arguments[index] is { } argument)
                {
                    Collect(argument, errors);
                }
            }

            return errors.Count == 0 ? next(invocation) : ValueTask.FromResult<object?>(ApiResults.Validation(errors));
        };
    }

    /// <summary>The field errors of one object, keyed by snake_case field names; empty when it is valid.</summary>
    public static Dictionary<string, string[]> Validate(object argument)
    {
        var errors = new Dictionary<string, string[]>();
        Collect(argument, errors);
        return errors;
    }

    private static void Collect(object argument, Dictionary<string, string[]> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(argument, new ValidationContext(argument), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var members = result.MemberNames.Any() ? result.MemberNames : ["body"];
            foreach (var member in members)
            {
                var field = JsonNamingPolicy.SnakeCaseLower.ConvertName(member);
                var message = result.ErrorMessage ?? "is invalid";
                errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
            }
        }
    }

    private static bool HasValidation(Type type)
        => typeof(IValidatableObject).IsAssignableFrom(type)
            || type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Any(p => p.GetCustomAttributes<ValidationAttribute>(inherit: true).Any());
}
