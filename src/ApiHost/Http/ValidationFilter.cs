using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using OwlFactory.ApiHost.Input;

namespace OwlFactory.ApiHost.Http;

/// <summary>
/// Runs the input policy (<see cref="InputPolicy"/>) over every bound argument of an endpoint, then the
/// DataAnnotations declared on its request records, and answers 422 <c>VALIDATION_ERROR</c> with
/// <c>details.field_errors</c> keyed by the names the client used (snake_case JSON fields, query and header names).
/// Endpoints whose arguments carry no client input pay nothing.
/// </summary>
internal static class ValidationFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var checkedArguments = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (parameter, index))
            .Where(p => CarriesInput(p.parameter) && services?.IsService(p.parameter.ParameterType) != true)
            .Select(p => (p.index, Name: NameOf(p.parameter), Annotated: HasValidation(p.parameter.ParameterType)))
            .ToArray();
        if (checkedArguments.Length == 0)
        {
            return next;
        }

        return invocation =>
        {
            var errors = new Dictionary<string, string[]>();
            foreach (var (index, name, _) in checkedArguments)
            {
                InputPolicy.Check(invocation.Arguments[index], name, errors);
            }

            // The declared rules run on values the policy accepted only (a rule may assume well-formed input).
            if (errors.Count == 0)
            {
                foreach (var (index, _, annotated) in checkedArguments)
                {
                    if (annotated && invocation.Arguments[index] is { } argument)
                    {
                        Collect(argument, errors);
                    }
                }
            }

            return errors.Count == 0 ? next(invocation) : ValueTask.FromResult<object?>(ApiResults.Validation(errors));
        };
    }

    /// <summary>The field errors of one object (policy, then annotations), keyed by wire names; empty when it is valid.</summary>
    public static Dictionary<string, string[]> Validate(object argument)
    {
        var errors = new Dictionary<string, string[]>();
        InputPolicy.Check(argument, "", errors);
        if (errors.Count == 0)
        {
            Collect(argument, errors);
        }

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
                var field = FieldName(argument.GetType(), member);
                var message = result.ErrorMessage ?? "is invalid";
                errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
            }
        }
    }

    /// <summary>A member named by a validation result, as the client wrote it (a query name, or snake_case).</summary>
    private static string FieldName(Type type, string member)
        => type.GetProperty(member, BindingFlags.Public | BindingFlags.Instance) is { } property
            ? InputPolicy.WireName(property)
            : JsonNamingPolicy.SnakeCaseLower.ConvertName(member);

    private static bool CarriesInput(ParameterInfo parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (parameter.GetCustomAttribute<FromServicesAttribute>() is not null)
        {
            return false;
        }

        return type == typeof(string) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly)
            || type == typeof(double) || type == typeof(float)
            || type.Assembly == typeof(ValidationFilter).Assembly;
    }

    private static string NameOf(ParameterInfo parameter)
    {
        if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null
            || (parameter.ParameterType.Assembly == typeof(ValidationFilter).Assembly && parameter.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault() is null))
        {
            // A request record or query object: its own fields carry the names.
            return "";
        }

        return parameter.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
            ?? parameter.GetCustomAttributes().OfType<IFromHeaderMetadata>().FirstOrDefault()?.Name
            ?? parameter.GetCustomAttributes().OfType<IFromRouteMetadata>().FirstOrDefault()?.Name
            ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(parameter.Name ?? "body");
    }

    private static bool HasValidation(Type type)
        => typeof(IValidatableObject).IsAssignableFrom(type)
            || type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Any(p => p.GetCustomAttributes<ValidationAttribute>(inherit: true).Any());
}
