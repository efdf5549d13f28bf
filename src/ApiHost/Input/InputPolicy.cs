using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Metadata;

namespace OwlFactory.ApiHost.Input;

/// <summary>
/// The one input policy of the API, for JSON bodies, query strings and headers alike:
/// numbers are JSON numbers (never strings), finite and in range for their type; strings are valid text without NUL;
/// dates lie between <see cref="MinDate"/> and <see cref="MaxDate"/>; a JSON key appears once per object; JSON nests
/// at most <see cref="MaxDepth"/> levels. Length and range rules stay declarative on the request records
/// (DataAnnotations); every refusal is a 422 <c>VALIDATION_ERROR</c> whose <c>field_errors</c> name the field.
/// </summary>
public static class InputPolicy
{
    public const int MaxDepth = 32;

    /// <summary>The earliest date any request may carry.</summary>
    public static readonly DateTime MinDate = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The latest date any request may carry: far enough for any real use, far from DateTime's end.</summary>
    public static readonly DateTime MaxDate = new(2999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Properties = new();

    /// <summary>The plain words the policy answers with.</summary>
    public static class Words
    {
        public const string Nul = "must not contain NUL characters";
        public const string Text = "must be valid Unicode text";
        public const string NotAnObject = "must be a JSON object";
        public const string Number = "must be a finite number";
        public const string Date = "must be a date between 1970-01-01 and 2999-12-31";
        public const string NotNull = "must not be null";
    }

    /// <summary>Applies the policy to the API's JSON options.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = MaxDepth;
        // Strings of request records are checked by Check (a converter for string would hide their type from the
        // OpenAPI document); free-form objects are checked as they are read.
        options.Converters.Add(new StrictJsonObjectConverter());
    }

    /// <summary>Why a string is refused, or null when it is acceptable text.</summary>
    public static string? CheckText(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return Words.Nul;
        }

        // A lone surrogate cannot be stored as UTF-8; PostgreSQL would refuse it deep inside a write.
        return IsWellFormed(value) ? null : Words.Text;
    }

    /// <summary>
    /// Walks one bound argument (a request record, a query object, or a plain query/header value) and adds a field
    /// error for every value the policy refuses. <paramref name="field"/> is the name the client used.
    /// </summary>
    public static void Check(object? value, string field, IDictionary<string, string[]> errors)
        => Walk(value, field, errors, 0);

    /// <summary>The name a property has on the wire: its query name, its JSON name, or its snake_case name.</summary>
    public static string WireName(PropertyInfo property)
        => property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
            ?? property.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
            ?? property.GetCustomAttributes().OfType<IFromHeaderMetadata>().FirstOrDefault()?.Name
            ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);

    private static void Walk(object? value, string field, IDictionary<string, string[]> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        switch (value)
        {
            case null:
                return;
            case string text:
                Add(errors, field, CheckText(text));
                return;
            case double d:
                Add(errors, field, double.IsFinite(d) ? null : Words.Number);
                return;
            case float f:
                Add(errors, field, float.IsFinite(f) ? null : Words.Number);
                return;
            case DateTime t:
                Add(errors, field, InRange(t) ? null : Words.Date);
                return;
            case DateTimeOffset t:
                Add(errors, field, InRange(t.UtcDateTime) ? null : Words.Date);
                return;
            case DateOnly d:
                Add(errors, field, InRange(d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)) ? null : Words.Date);
                return;
            case JsonNode:
                // Checked as it was read (StrictJsonObjectConverter).
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key.ToString() ?? "";
                    Add(errors, field, CheckText(key));
                    Walk(entry.Value, $"{field}.{key}", errors, depth + 1);
                }

                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    if (item is null && IsOwn(ElementType(value.GetType())))
                    {
                        Add(errors, $"{field}[{index}]", Words.NotNull);
                    }

                    Walk(item, $"{field}[{index}]", errors, depth + 1);
                    index++;
                }

                return;
        }

        if (!IsOwn(value.GetType()))
        {
            return;
        }

        foreach (var (property, name) in Properties.GetOrAdd(value.GetType(), PropertiesOf))
        {
            Walk(property.GetValue(value), field.Length == 0 ? name : $"{field}.{name}", errors, depth + 1);
        }
    }

    private static bool InRange(DateTime t)
    {
        var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
        return utc >= MinDate && utc <= MaxDate;
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOwn(Type? type)
        => type is not null && type.Assembly == typeof(InputPolicy).Assembly && !type.IsEnum;

    private static Type? ElementType(Type type)
        => type.IsArray ? type.GetElementType() : type.IsGenericType ? type.GetGenericArguments()[0] : null;

    private static (PropertyInfo, string)[] PropertiesOf(Type type)
        => [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null
                && p.DeclaringType != typeof(object) && p.GetMethod!.IsPublic)
            .Where(p => !p.PropertyType.IsPrimitive || p.PropertyType == typeof(double) || p.PropertyType == typeof(float))
            .Select(p => (p, WireName(p)))];

    private static void Add(IDictionary<string, string[]> errors, string field, string? problem)
    {
        if (problem is null)
        {
            return;
        }

        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing.Where(e => e != problem), problem] : [problem];
    }
}
