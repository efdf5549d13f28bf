using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OwlFactory.ApiHost.Auth;
using OwlFactory.ApiHost.Http;
using OwlFactory.ApiHost.Logs;
using OwlFactory.ApiHost.Throttling;
using OwlFactory.GrainInterfaces;
using OwlFactory.GrainInterfaces.Recharge;

namespace OwlFactory.ApiHost.Recharge;

public static class RechargeEndpoints
{
    public static RouteGroupBuilder MapRechargeEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/recharge").WithTags("Recharge").RequireAuthorization();
        group.MapPost("/redeem", RedeemAsync).WithSummary("Redeem a recharge code (optional Idempotency-Key header)");
        group.MapGet("/records", ListRecordsAsync).WithSummary("The caller's redemptions, newest first");

        var admin = group.MapGroup("/codes").RequireAuthorization(OwlClaims.AdminPolicy);
        admin.MapPost("/", CreateCodesAsync).WithSummary("Generate a batch of codes (admin); the codes are shown only here");
        admin.MapGet("/", ListCodesAsync).WithSummary("List codes, masked, by status and batch (admin)");
        admin.MapPost("/{id:guid}/disable", DisableAsync).WithSummary("Disable a code (admin)");
        return group;
    }

    internal static async Task<JsonHttpResult<ApiEnvelope<IssuedCodesResponse>>> CreateCodesAsync(
        CreateCodesRequest request, IClusterClient client, ClaimsPrincipal user)
    {
        var expiresAt = request.ExpiresAt is { } t ? DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc) : (DateTime?)null;
        var batch = await client.Reference<IRechargeCodeIssuerGrain>(0).IssueAsync(new IssueCodesCommand(
            request.Amount!.Value, request.Description, request.BatchSize, expiresAt, request.MaxUses, user.GetUserId()));
        return ApiResults.Created(new IssuedCodesResponse(batch.BatchId, batch.Codes, batch.Codes.Length,
            request.Amount.Value * batch.Codes.Length), "codes generated");
    }

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<RedeemResponse>>, JsonHttpResult<ApiErrorEnvelope>>> RedeemAsync(
        RedeemRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        IClusterClient client, ClientThrottle throttle, IdempotencyKeys idempotency, RequestOperation operation, AuditLog audit,
        HttpContext http, ClaimsPrincipal user)
    {
        if (idempotencyKey is { Length: 0 or > IdempotencyKeys.MaxKeyLength })
        {
            return ApiResults.Validation("Idempotency-Key", "must be 1-255 characters");
        }

        var userId = user.GetUserId();
        if (idempotencyKey is not null && !await idempotency.ClaimAsync("redeem", userId,
                idempotencyKey, RechargeCodes.TryNormalize(request.Code, out var normalized) ? new RedeemRequest { Code = normalized } : request))
        {
            return IdempotencyKeys.Conflict();
        }

        RedeemResult result;
        if (RechargeCodes.TryNormalize(request.Code, out var symbols))
        {
            // The code's grain takes the attempt's place in the user's throttle, then redeems.
            var hash = RechargeCodes.Hash(symbols);
            result = await client.Reference<IRechargeCodeGrain>(RechargeCodes.GrainKey(hash)).RedeemAsync(userId,
                OperationId(userId, idempotencyKey, hash, operation), audit.Ahead(http, StatusCodes.Status200OK), throttle.RedeemLimit);
        }
        else
        {
            // Not a code's shape: refused as an unknown code is, and counted the same way.
            result = new RedeemResult(await throttle.CountRedeemRefusalAsync(userId) ? RedeemStatus.NotFound : RedeemStatus.RateLimited);
        }

        if (result.Status == RedeemStatus.RateLimited)
        {
            return ApiResults.RateLimited(throttle.WindowSeconds);
        }

        if (result.Audited)
        {
            AuditLog.Recorded(http);
        }

        if (result.Status == RedeemStatus.Ok)
        {
            return ApiResults.Ok(new RedeemResponse(result.Amount, result.NewBalance, result.RecordId), "recharged");
        }

        return ApiResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRechargeCode, "This recharge code cannot be redeemed",
            new { reason = Reason(result.Status) });
    }

    internal static async Task<JsonHttpResult<ApiEnvelope<PagedList<RechargeRecordResponse>>>> ListRecordsAsync(
        [AsParameters] PageQuery query, RechargeQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken)
        => ApiResults.Ok(await queries.ListRecordsAsync(user.GetUserId(), query, cancellationToken));

    internal static async Task<JsonHttpResult<ApiEnvelope<PagedList<RechargeCodeResponse>>>> ListCodesAsync(
        [AsParameters] CodeListQuery query, RechargeQueries queries, CancellationToken cancellationToken)
        => ApiResults.Ok(await queries.ListCodesAsync(query, cancellationToken));

    internal static async Task<Results<JsonHttpResult<ApiEnvelope<RechargeCodeResponse>>, JsonHttpResult<ApiErrorEnvelope>>> DisableAsync(
        Guid id, IClusterClient client, RechargeQueries queries, CancellationToken cancellationToken)
    {
        var hash = await queries.FindCodeHashAsync(id, cancellationToken);
        if (hash is null || !await client.Reference<IRechargeCodeGrain>(RechargeCodes.GrainKey(hash)).DisableAsync())
        {
            return ApiResults.NotFound("Recharge code");
        }

        return ApiResults.Ok((await queries.GetCodeAsync(id, cancellationToken))!, "disabled");
    }

    /// <summary>
    /// The redemption's operation id. With an Idempotency-Key it is derived from (user, key, code), so a retry of the
    /// same request replays the first answer; without one it is the request's own (the same on a front door's resend).
    /// </summary>
    private static Guid OperationId(Guid userId, string? idempotencyKey, string codeHash, RequestOperation operation)
    {
        if (idempotencyKey is null)
        {
            return operation.Id("redeem");
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{userId:N}\n{idempotencyKey}\n{codeHash}"));
        return new Guid(digest.AsSpan(0, 16));
    }

    private static string Reason(RedeemStatus status) => status switch
    {
        RedeemStatus.Expired => "expired",
        RedeemStatus.UsedUp => "used_up",
        RedeemStatus.AlreadyRedeemed => "already_redeemed",
        RedeemStatus.Disabled => "disabled",
        _ => "not_found",
    };
}
