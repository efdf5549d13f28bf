using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using OwlFactory.ApiHost.Auth;
using OwlFactory.Database.Batching;
using OwlFactory.Database.Logging;
using OwlFactory.GrainInterfaces;

namespace OwlFactory.ApiHost.Logs;

/// <summary>
/// The audit trail: one <c>user_actions</c> row for every state-changing request (POST, PUT, PATCH, DELETE) and every
/// login attempt, whatever its outcome. The row is written before the answer leaves, so an action the caller saw
/// succeed is always in the trail. Agent calls are not user actions and are not recorded here (their effects are in
/// the task logs). A submit and a redemption hand their row to the grain that commits them (<see cref="Ahead"/>), so it
/// commits in the same transaction as the action; every other request's row goes in the API host's own batch.
/// </summary>
public sealed partial class AuditLog(WriteBatcher batcher, TimeProvider clock)
{
    private const string UserKey = "owl.audit.user";
    private const string DetailsKey = "owl.audit.details";
    private const string RecordedKey = "owl.audit.recorded";

    /// <summary>Names the account an anonymous request acted on (a login, a registration).</summary>
    public static void SetUser(HttpContext http, Guid userId) => http.Items[UserKey] = userId;

    /// <summary>Adds a detail to the request's audit record (never a secret).</summary>
    public static void AddDetail(HttpContext http, string key, object? value)
    {
        if (http.Items[DetailsKey] is not Dictionary<string, object?> details)
        {
            http.Items[DetailsKey] = details = [];
        }

        details[key] = value;
    }

    /// <summary>
    /// The request's row as it reads when the action succeeds with <paramref name="status"/>, for the grain that commits
    /// the action to write in the same transaction. Once the grain says it wrote it, call <see cref="Recorded"/>.
    /// </summary>
    public AuditEntry Ahead(HttpContext http, int status) => Entry(http, status);

    /// <summary>Marks the request's row as written by the grain that committed the action (see <see cref="Ahead"/>).</summary>
    public static void Recorded(HttpContext http) => http.Items[RecordedKey] = true;

    /// <summary>The filter every mutating endpoint of the API runs through.</summary>
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        return async invocation =>
        {
            var http = invocation.HttpContext;
            if (http.Request.Method is not ("POST" or "PUT" or "PATCH" or "DELETE") || http.Request.Path.StartsWithSegments("/api/agent"))
            {
                return await next(invocation);
            }

            var audit = http.RequestServices.GetRequiredService<AuditLog>();
            object? result;
            try
            {
                result = await next(invocation);
            }
            catch
            {
                await audit.RecordAsync(http, StatusCodes.Status500InternalServerError);
                throw;
            }

            if (!http.Items.ContainsKey(RecordedKey))
            {
                await audit.RecordAsync(http, StatusOf(result));
            }

            return result;
        };
    }

    private async Task RecordAsync(HttpContext http, int status)
    {
        var entry = Entry(http, status);
        // Group commit with the other requests' records, in one statement: the answer still waits for this row to be durable.
        await batcher.ExecuteAsync([AuditTrail.Row(entry.UserId, entry.Action, entry.Details, entry.Ip, entry.UserAgent, entry.At)]);
    }

    private AuditEntry Entry(HttpContext http, int status)
    {
        var details = http.Items[DetailsKey] as Dictionary<string, object?> ?? [];
        details["status"] = status;
        foreach (var (key, value) in http.Request.RouteValues)
        {
            details[key] = value?.ToString();
        }

        var userId = http.Items[UserKey] as Guid?;
        if (userId is null && http.User.FindFirst(OwlClaims.Subject) is { } subject && Guid.TryParse(subject.Value, out var sub))
        {
            userId = sub;
        }

        return new AuditEntry(userId, ActionName(http), JsonSerializer.Serialize(details), http.Connection.RemoteIpAddress?.ToString(),
            Truncate(http.Request.Headers.UserAgent.ToString()), clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>The status an endpoint's result will answer with (a Results&lt;…&gt; union wraps the actual result).</summary>
    private static int StatusOf(object? result)
    {
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        return inner is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
    }

    /// <summary>The method and the route template without constraints: <c>POST /api/tasks/{id}/cancel</c>.</summary>
    public static string ActionName(HttpContext http)
    {
        var template = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        return $"{http.Request.Method} {Constraint().Replace(template, "{$1}").TrimEnd('/')}";
    }

    private static string? Truncate(string value) => value.Length == 0 ? null : value.Length > 500 ? value[..500] : value;

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex Constraint();
}
