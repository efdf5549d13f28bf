namespace OwlFactory.ApiHost.OpenApi;

/// <summary>The introduction at the top of the API reference: what every operation has in common.</summary>
internal static class ApiIntroduction
{
    public const string Markdown = """
        猫头鹰工厂（Owl Factory）付费 GPU 任务平台的 HTTP 接口：注册、充值、提交任务并按实际 GPU 用时计费。基础路径 `/api`，JSON（UTF-8），字段名 snake_case，时间为 ISO-8601 UTC（带 `Z`），金额为两位小数。网页控制台在 `/`。

        ## 认证

        用 `POST /api/auth/login` 换取 token（HS256 JWT，`expires_in` 1800 秒），之后每个请求都带请求头：

        ```http
        Authorization: Bearer <access_token>
        ```

        在本页点 **Authentication**，把 access_token 粘贴到 Bearer 一栏，即可直接 “Test Request”。修改密码、停用账号或更改角色会立刻吊销此前签发的所有 token。Agent 接口（`/api/agent/…`）使用服务器登记或更换令牌时拿到的 agent token，同样以 Bearer 发送。

        ## 响应信封

        每个响应都是同一个信封。成功：

        ```json
        {"success": true, "message": "ok", "data": {}, "error_code": null}
        ```

        失败时 `data` 为 null，并多一个 `details` 对象：

        ```json
        {"success": false, "message": "Request validation failed", "data": null, "error_code": "VALIDATION_ERROR",
         "details": {"field_errors": {"email": ["must be a valid email address"]}}}
        ```

        `message` 供人阅读；程序请根据 HTTP 状态码和 `error_code` 判断。

        ## 错误码

        | error_code | HTTP | 含义 | details |
        |---|---|---|---|
        | `INVALID_CREDENTIALS` | 401 | 没有 token、token 无效/过期/已吊销，或邮箱密码错误 | |
        | `ACCESS_DENIED` | 403 | 角色不够；或账号已停用（登录时） | |
        | `RESOURCE_NOT_FOUND` | 404 | 资源不存在，或调用者无权看到它；未知路由 | |
        | `VALIDATION_ERROR` | 422 | 参数校验失败、JSON 格式错误、分页越界、未知排序字段 | `field_errors` |
        | `INSUFFICIENT_BALANCE` | 400 | 可用余额不足以预扣任务的最高费用 | `required`、`available` |
        | `INVALID_RECHARGE_CODE` | 400 | 充值码不可用 | `reason`：`not_found`、`expired`、`used_up`、`already_redeemed`、`disabled` |
        | `RESOURCE_CONFLICT` | 409 | 邮箱、用户名或服务器名已存在 | `field` |
        | `INVALID_STATE` | 409 | 当前状态不允许该操作（如取消已完成的任务） | |
        | `TASK_LIMIT_EXCEEDED` | 429 | 进行中（排队+运行）的任务数已达上限 | |
        | `RATE_LIMITED` | 429 | 登录失败、注册或兑换失败过于频繁 | `retry_after_seconds` |
        | `PAYLOAD_TOO_LARGE` | 413 | 请求体超过 1 MiB | |
        | `SERVER_UNAVAILABLE` | 503 | 集群或数据库暂不可用（可重试）；维护模式下提交任务 | `maintenance` |
        | `INTERNAL_ERROR` | 500 | 未预期的错误（已记录日志） | |

        ## 分页

        列表接口接受 `page`（从 1 开始，默认 1）和 `page_size`（默认 20，最大 100；日志列表默认 50，最大 200），在 `data` 中返回：

        ```json
        {"items": [], "total": 100, "page": 1, "page_size": 20, "total_pages": 5}
        ```

        越界的分页参数、未知的 `sort_by` 或错误的枚举值都是 422 `VALIDATION_ERROR`。

        ## Idempotency-Key

        `POST /api/tasks` 与 `POST /api/recharge/redeem` 接受可选请求头 `Idempotency-Key`（1–255 个字符）。同一用户带同一个 key 重发（例如网络超时后重试），只会创建一个任务、只兑换一次，并得到与第一次相同的结果。

        ## 实时流（SSE）

        `GET /api/tasks/{id}/events`、`GET /api/logs/tasks/{task_id}?follow=true`、`GET /api/gpu/servers/{id}/telemetry/stream` 和 `GET /api/gpu/cluster/stream` 以 `text/event-stream` 推送事件，认证方式与其他接口相同（`Authorization` 请求头）。浏览器里的 `EventSource` 不能带请求头，请用 `fetch` 读取流（网页控制台就是这样做的）。
        """;
}
