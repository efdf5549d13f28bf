using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Npgsql;
using OwlFactory.ApiHost.Auth;
using OwlFactory.Database.Batching;

namespace OwlFactory.ApiHost.Logs;

/// <summary>
/// The audit trail: one <c>user_actions</c> row for every state-changing request (POST, PUT, PATCH, DELETE) and every
/// login attempt, whatever its outcome. The row is written before the answer leaves, so an action the caller saw
/// succeed is always in the trail. Agent calls are not user actions and are not recorded here (their effects are in
/// the task logs).
/// </summary>
public sealed partial class AuditLog(WriteBatcher batcher, TimeProvider clock)
{
    private const string UserKey = "owl.audit.user";
    private const string DetailsKey = "owl.audit.details";

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

            await audit.RecordAsync(http, StatusOf(result));
            return result;
        };
    }

    private async Task RecordAsync(HttpContext http, int status)
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

        var action = ActionName(http);
        var json = JsonSerializer.Serialize(details);
        var ip = http.Connection.RemoteIpAddress?.ToString();
        var agent = Truncate(http.Request.Headers.UserAgent.ToString());
        var at = clock.GetUtcNow().UtcDateTime;
        // Group commit with the other requests' records, in one statement: the answer still waits for this row to be durable.
        await batcher.ExecuteAsync([BatchRow.Of(Actions, new AuditRecord(userId, action, json, ip, agent, at))]);
    }

    private sealed record AuditRecord(Guid? UserId, string Action, string Details, string? Ip, string? UserAgent, DateTime At);

    private static readonly RowStatement<AuditRecord> Actions = new(
        WriteRanks.Audit,
        """
        INSERT INTO user_actions (user_id, action, details, ip_address, user_agent, created_at)
        SELECT a.user_id, a.action, a.details::jsonb, a.ip, a.user_agent, a.at
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS a(user_id, action, details, ip, user_agent, at)
        """,
        (p, records) =>
        {
            p.Add(RowArrays.Of(records, r => r.UserId));
            p.Add(RowArrays.Of(records, r => r.Action));
            p.Add(RowArrays.Of(records, r => r.Details));
            p.Add(RowArrays.Of(records, r => r.Ip));
            p.Add(RowArrays.Of(records, r => r.UserAgent));
            p.Add(RowArrays.Timestamps(records, r => r.At));
        });

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
