namespace OwlFactory.ApiHost.OpenApi;

/// <summary>
/// What the API reference takes from the contract (docs: ../shared/spec/owl-factory-api.md): its resource groups in
/// its order, its Chinese operation titles, and which errors each operation can answer with.
/// </summary>
internal static class ContractCatalog
{
    public const string Title = "猫头鹰工厂 API";
    public const string Version = "0.10.0";

    /// <summary>The groups in the contract's order (then the platform's own), each with the path prefixes it holds.</summary>
    public static readonly (string Tag, string Description, string[] Prefixes)[] Groups =
    [
        ("认证", "登录换取 Bearer token（JWT，30 分钟有效）。", ["POST /api/auth/login"]),
        ("用户管理", "注册、当前用户信息、修改资料与密码、用户统计。", ["POST /api/auth/register", "/api/users"]),
        ("任务管理", "提交、查询、取消、重跑、删除任务；任务的实时事件流（SSE）。", ["/api/tasks"]),
        ("GPU监控", "GPU 服务器（管理员登记、维护、更换令牌）、实时状态与集群概览，含 SSE 实时流。", ["/api/gpu"]),
        ("充值管理", "兑换充值码、充值记录；管理员生成、列出和停用充值码。", ["/api/recharge"]),
        ("系统管理", "管理员：平台统计、用户管理、系统配置。", ["/api/admin"]),
        ("日志管理", "系统日志、用户操作日志（审计）、任务执行日志（可 SSE 跟随）与按日下载。", ["/api/logs"]),
        ("Agent 协议", "GPU 服务器上的 Agent 调用的接口，使用服务器的 agent token（同样以 Bearer 发送）。", ["/api/agent"]),
        ("健康检查", "存活与就绪探针，无需认证。", ["/api/health"]),
    ];

    /// <summary>The contract's own title of an operation, by "METHOD /path".</summary>
    public static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        ["POST /api/auth/login"] = "获取Token（登录）",
        ["POST /api/auth/register"] = "用户注册",
        ["GET /api/users/me"] = "获取当前用户信息",
        ["PUT /api/users/me"] = "更新用户信息",
        ["POST /api/users/change-password"] = "修改密码",
        ["GET /api/users/stats"] = "获取用户统计信息",
        ["POST /api/tasks"] = "创建任务",
        ["GET /api/tasks"] = "获取任务列表",
        ["GET /api/tasks/types"] = "任务类型与单价",
        ["GET /api/tasks/{id}"] = "获取任务详情",
        ["POST /api/tasks/{id}/cancel"] = "取消任务",
        ["POST /api/tasks/{id}/retry"] = "重新运行任务",
        ["DELETE /api/tasks/{id}"] = "删除任务",
        ["GET /api/tasks/{id}/events"] = "任务实时事件（SSE）",
        ["GET /api/gpu/servers"] = "获取GPU服务器列表",
        ["POST /api/gpu/servers"] = "登记GPU服务器（管理员）",
        ["GET /api/gpu/servers/{id}"] = "获取GPU服务器详情",
        ["PUT /api/gpu/servers/{id}"] = "修改GPU服务器 / 维护模式（管理员）",
        ["DELETE /api/gpu/servers/{id}"] = "删除GPU服务器（管理员）",
        ["POST /api/gpu/servers/{id}/rotate-token"] = "更换Agent令牌（管理员）",
        ["GET /api/gpu/servers/{id}/status"] = "获取GPU服务器实时状态",
        ["GET /api/gpu/servers/{id}/history"] = "GPU服务器遥测历史",
        ["GET /api/gpu/servers/{id}/telemetry/stream"] = "GPU服务器实时遥测（SSE）",
        ["GET /api/gpu/cluster/overview"] = "获取GPU集群概览",
        ["GET /api/gpu/cluster/stream"] = "集群概览实时流（SSE）",
        ["POST /api/recharge/codes"] = "生成充值码",
        ["POST /api/recharge/redeem"] = "使用充值码",
        ["GET /api/recharge/records"] = "获取充值记录",
        ["GET /api/recharge/codes"] = "获取充值码列表 (管理员)",
        ["POST /api/recharge/codes/{id}/disable"] = "停用充值码 (管理员)",
        ["GET /api/admin/stats"] = "获取系统统计信息",
        ["GET /api/admin/users"] = "获取用户列表 (管理员)",
        ["PUT /api/admin/users/{id}"] = "更新用户信息 (管理员)",
        ["GET /api/admin/config"] = "获取系统配置",
        ["PUT /api/admin/config"] = "更新系统配置",
        ["GET /api/logs/system"] = "获取系统日志",
        ["GET /api/logs/user-actions"] = "获取用户操作日志",
        ["GET /api/logs/tasks/{taskId}"] = "获取任务执行日志",
        ["GET /api/logs/download"] = "下载日志文件",
        ["POST /api/agent/heartbeat"] = "Agent 心跳",
        ["POST /api/agent/tasks/{taskId}/start"] = "Agent：任务开始",
        ["POST /api/agent/tasks/{taskId}/progress"] = "Agent：上报进度",
        ["POST /api/agent/tasks/{taskId}/logs"] = "Agent：追加日志",
        ["POST /api/agent/tasks/{taskId}/complete"] = "Agent：任务完成",
        ["POST /api/agent/tasks/{taskId}/fail"] = "Agent：任务失败",
        ["GET /api/health"] = "就绪检查",
        ["GET /api/health/ready"] = "就绪检查",
        ["GET /api/health/live"] = "存活检查",
    };

    /// <summary>Operations that answer 201 Created.</summary>
    public static readonly HashSet<string> Creates = new(StringComparer.Ordinal)
    {
        "POST /api/auth/register", "POST /api/tasks", "POST /api/recharge/codes", "POST /api/gpu/servers",
    };

    /// <summary>The errors particular to an operation, beyond those every operation of its kind has.</summary>
    public static readonly Dictionary<string, ApiErrorSample[]> Errors = new(StringComparer.Ordinal)
    {
        ["POST /api/auth/login"] = [ApiErrorSample.BadLogin, ApiErrorSample.Deactivated, ApiErrorSample.RateLimited],
        ["POST /api/auth/register"] = [ApiErrorSample.EmailTaken, ApiErrorSample.RateLimited],
        ["PUT /api/users/me"] = [ApiErrorSample.UsernameTaken],
        ["POST /api/tasks"] = [ApiErrorSample.InsufficientBalance, ApiErrorSample.TaskLimit, ApiErrorSample.Maintenance],
        ["POST /api/tasks/{id}/retry"] = [ApiErrorSample.InvalidState, ApiErrorSample.InsufficientBalance, ApiErrorSample.TaskLimit],
        ["POST /api/tasks/{id}/cancel"] = [ApiErrorSample.InvalidState],
        ["DELETE /api/tasks/{id}"] = [ApiErrorSample.InvalidState],
        ["POST /api/recharge/redeem"] = [ApiErrorSample.BadCode, ApiErrorSample.RateLimited],
        ["POST /api/gpu/servers"] = [ApiErrorSample.NameTaken],
        ["PUT /api/gpu/servers/{id}"] = [ApiErrorSample.NameTaken],
        ["DELETE /api/gpu/servers/{id}"] = [ApiErrorSample.ServerBusy],
        ["PUT /api/admin/users/{id}"] = [ApiErrorSample.SelfChange, ApiErrorSample.UsernameTaken],
        ["GET /api/health"] = [ApiErrorSample.NotReady],
        ["GET /api/health/ready"] = [ApiErrorSample.NotReady],
    };

    public static string TagOf(string method, string path)
    {
        foreach (var (tag, _, prefixes) in Groups)
        {
            if (prefixes.Any(p => p.Contains(' ', StringComparison.Ordinal) ? p == $"{method} {path}" : path.StartsWith(p, StringComparison.Ordinal)))
            {
                return tag;
            }
        }

        return "其他";
    }
}
