using System.Net.ServerSentEvents;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OwlFactory.ApiHost.Admin;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Logs;

namespace OwlFactory.ApiHost.OpenApi;

/// <summary>
/// Makes each operation read as the contract does: its resource group and Chinese title, the bearer requirement
/// where a token is needed, and responses with schemas and examples: the success envelope (or the event stream),
/// and every error envelope the operation can answer with.
/// </summary>
internal sealed class ContractOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var method = description.HttpMethod ?? "GET";
        var path = "/" + (description.RelativePath ?? "").TrimEnd('/');
        var key = $"{method} {path}";
        var json = context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var samples = new ApiSamples(json);
        var metadata = description.ActionDescriptor.EndpointMetadata;

        operation.Tags = new HashSet<OpenApiTagReference> { new(ContractCatalog.TagOf(method, path), context.Document) };
        if (ContractCatalog.Titles.TryGetValue(key, out var title))
        {
            operation.Description = operation.Summary;
            operation.Summary = title;
        }

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var authorized = !anonymous && (metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<AuthorizationPolicy>().Any());
        var admin = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == OwlClaims.AdminPolicy);
        if (authorized)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [] }];
        }

        // Request body: an example of the record the endpoint binds (the config update binds raw JSON to check its keys).
        var body = description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
        if (body == typeof(JsonObject))
        {
            body = typeof(ConfigUpdateRequest);
        }

        if (body is not null && operation.RequestBody is OpenApiRequestBody { Content: { } requestContent })
        {
            foreach (var media in requestContent.Values)
            {
                media.Example = Request(key, body, samples);
                media.Schema ??= await context.GetOrCreateSchemaAsync(body, null, cancellationToken);
            }
        }

        operation.Responses = new OpenApiResponses();
        var returned = Unwrap(metadata.OfType<MethodInfo>().FirstOrDefault()?.ReturnType);
        var success = new OpenApiResponse { Description = "成功", Content = new Dictionary<string, OpenApiMediaType>() };
        foreach (var result in returned)
        {
            if (result.IsGenericType && result.GetGenericTypeDefinition() == typeof(JsonHttpResult<>)
                && result.GetGenericArguments()[0] is { IsGenericType: true } envelope && envelope.GetGenericTypeDefinition() == typeof(ApiEnvelope<>))
            {
                var data = envelope.GetGenericArguments()[0];
                success.Content["application/json"] = new OpenApiMediaType
                {
                    Schema = await context.GetOrCreateSchemaAsync(envelope, null, cancellationToken),
                    Example = Envelope(key == "GET /api/health/live" ? new JsonObject { ["status"] = "alive" } : samples.Of(data), key),
                };
            }
            else if (result.IsGenericType && result.GetGenericTypeDefinition() == typeof(ServerSentEventsResult<>))
            {
                var item = result.GetGenericArguments()[0];
                success.Content["text/event-stream"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = $"Server-Sent Events; each event's data is a {item.Name} as JSON" },
                    Example = JsonValue.Create(string.Concat(Enumerable.Repeat($"event: {EventName(path)}\ndata: {samples.Of(item)?.ToJsonString(json)}\n\n", 2))),
                };
            }
            else if (result == typeof(PushStreamHttpResult))
            {
                success.Content["application/x-ndjson"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "One JSON record per line (an attachment)" },
                    Example = JsonValue.Create(samples.Of(typeof(SystemLogResponse))?.ToJsonString(json) + "\n"),
                };
            }
        }

        if (success.Content.Count == 0)
        {
            success.Content["application/json"] = new OpenApiMediaType { Example = Envelope(null, key) };
        }

        operation.Responses[ContractCatalog.Creates.Contains(key) ? "201" : "200"] = success;

        var errors = new List<ApiErrorSample>();
        if (authorized)
        {
            errors.Add(ApiErrorSample.Unauthorized);
        }

        if (admin)
        {
            errors.Add(ApiErrorSample.Forbidden);
        }

        if (path.Contains('{', StringComparison.Ordinal))
        {
            errors.Add(ApiErrorSample.NotFound);
        }

        if (body is not null || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query || p.Source == BindingSource.Header))
        {
            errors.Add(ApiErrorSample.Validation);
        }

        errors.AddRange(ContractCatalog.Errors.GetValueOrDefault(key, []));
        if (!path.StartsWith("/api/health", StringComparison.Ordinal) && !errors.Any(e => e.Status == 503))
        {
            errors.Add(ApiErrorSample.Unavailable);
        }

        var errorSchema = await context.GetOrCreateSchemaAsync(typeof(ApiErrorEnvelope), null, cancellationToken);
        foreach (var group in errors.GroupBy(e => e.Status).OrderBy(g => g.Key))
        {
            operation.Responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = $"{ReasonPhrases.GetReasonPhrase(group.Key)}: {string.Join(", ", group.Select(e => e.Code).Distinct())}",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = errorSchema,
                        Examples = group.ToDictionary(e => e.Name, e => (IOpenApiExample)new OpenApiExample
                        {
                            Summary = e.Code,
                            Value = samples.Serialize(e.Envelope, typeof(ApiErrorEnvelope)),
                        }),
                    },
                },
            };
        }
    }

    private static JsonObject Envelope(JsonNode? data, string key) => new JsonObject
    {
        ["success"] = true,
        ["message"] = ContractCatalog.Creates.Contains(key) ? "created" : "ok",
        ["data"] = data,
        ["error_code"] = null,
    };

    private static JsonNode? Request(string key, Type body, ApiSamples samples) => key switch
    {
        // The contract's own request examples, where a generated one would read oddly.
        "POST /api/auth/login" => new JsonObject { ["email"] = "admin@example.com", ["password"] = "admin123" },
        "POST /api/auth/register" => new JsonObject
        {
            ["email"] = "newuser@example.com", ["username"] = "newuser", ["password"] = "password123", ["full_name"] = "新用户",
        },
        "PUT /api/users/me" => new JsonObject { ["full_name"] = "新的姓名", ["username"] = "new_username" },
        "PUT /api/admin/users/{id}" => new JsonObject { ["role"] = "admin", ["is_active"] = false, ["balance"] = 200.00m },
        "PUT /api/admin/config" => new JsonObject
        {
            ["max_concurrent_tasks_per_user"] = 5, ["default_task_timeout"] = 3600, ["maintenance_mode"] = false,
        },
        "POST /api/recharge/codes" => new JsonObject
        {
            ["amount"] = 100.00m, ["description"] = "新用户充值码", ["batch_size"] = 10, ["expires_at"] = "2030-12-31T23:59:59Z", ["max_uses"] = 1,
        },
        "PUT /api/gpu/servers/{id}" => new JsonObject { ["maintenance"] = true },
        _ => samples.Of(body),
    };

    private static string EventName(string path) => path switch
    {
        _ when path.EndsWith("/events", StringComparison.Ordinal) => "task",
        _ when path.StartsWith("/api/logs", StringComparison.Ordinal) => "log",
        _ when path.EndsWith("/telemetry/stream", StringComparison.Ordinal) => "telemetry",
        _ => "overview",
    };

    /// <summary>The result types a handler can answer with: Task&lt;T&gt; unwrapped, Results&lt;…&gt; spread.</summary>
    private static List<Type> Unwrap(Type? type)
    {
        if (type is null)
        {
            return [];
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return Unwrap(type.GetGenericArguments()[0]);
        }

        return type.IsGenericType && type.GetGenericTypeDefinition().FullName?.StartsWith("Microsoft.AspNetCore.Http.HttpResults.Results`", StringComparison.Ordinal) == true
            ? [.. type.GetGenericArguments().SelectMany(Unwrap)]
            : [type];
    }
}
