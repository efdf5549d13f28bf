using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OwlFactory.ApiHost.OpenApi;

/// <summary>
/// Example values for the API reference, built from the very records the endpoints send and receive and serialized
/// with the API's own JSON options, so every example has the wire's field names, money format and date format.
/// Values are chosen by the member's name (an email looks like an email, a status is a real status).
/// </summary>
internal sealed class ApiSamples(JsonSerializerOptions json)
{
    private static readonly DateTime When = new(2024, 1, 15, 10, 30, 0, DateTimeKind.Utc);

    private static readonly Dictionary<string, object> Strings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "user@example.com",
        ["username"] = "username",
        ["full_name"] = "用户姓名",
        ["fullname"] = "用户姓名",
        ["password"] = "password123",
        ["current_password"] = "old_password",
        ["currentpassword"] = "old_password",
        ["new_password"] = "new_password",
        ["newpassword"] = "new_password",
        ["role"] = "user",
        ["title"] = "视频分析任务",
        ["description"] = "分析视频内容",
        ["task_type"] = "video_analysis",
        ["tasktype"] = "video_analysis",
        ["status"] = "running",
        ["code"] = "OWL-ABCD-2345-EFGH",
        ["name"] = "GPU-Server-01",
        ["host"] = "192.168.1.100",
        ["access_token"] = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9...",
        ["accesstoken"] = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9...",
        ["tokentype"] = "bearer",
        ["agenttoken"] = "owl_agent_0190f7c4b0a07c1e8c6b1e0d2f3a4b5c.s3cr3t",
        ["level"] = "INFO",
        ["message"] = "Task 0190f7c4-… started on GPU-Server-01",
        ["action"] = "POST /api/tasks",
        ["ipaddress"] = "203.0.113.7",
        ["useragent"] = "curl/8.5.0",
        ["logger"] = "OwlFactory.Grains.Tasks.TaskGrain",
        ["process"] = "silo-0",
        ["source"] = "agent",
        ["pendingreason"] = "queued_behind_earlier_tasks",
        ["maintenancemessage"] = "系统维护中，请稍后再试",
        ["agentversion"] = "0.10.0",
        ["errormessage"] = null!,
        ["exception"] = null!,
    };

    public JsonNode? Serialize(object? value, Type type) => JsonSerializer.SerializeToNode(value, type, json);

    public JsonNode? Of(Type type) => Serialize(Create(type, "", 0), type);

    private object? Create(Type type, string name, int depth)
    {
        var key = name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return key is "completedat" or "errormessage" or "disabledat" ? null : Create(inner, name, depth);
        }

        if (type == typeof(string))
        {
            return Strings.TryGetValue(name, out var s) || Strings.TryGetValue(key, out s) ? s : name.Length == 0 ? "string" : "…";
        }

        if (type == typeof(Guid))
        {
            return Guid.Parse(key switch
            {
                "userid" or "createdby" => "0190f7c4-0001-7000-8000-000000000001",
                "gpuserverid" or "serverid" => "0190f7c4-0003-7000-8000-000000000003",
                "batchid" => "0190f7c4-0004-7000-8000-000000000004",
                _ => "0190f7c4-0002-7000-8000-000000000002",
            });
        }

        if (type == typeof(DateTime))
        {
            return key is "expiresat" ? new DateTime(2024, 12, 31, 23, 59, 59, DateTimeKind.Utc) : When;
        }

        if (type == typeof(bool))
        {
            return key is not ("maintenancemode" or "hasmore" or "maintenance" or "follow");
        }

        if (type == typeof(decimal))
        {
            return key switch
            {
                "priceperminute" or "price" => 0.10m,
                "cost" or "totalcost" => 5.25m,
                "holdamount" or "hold" => 6.00m,
                "totalmemory" => 24.0m,
                _ => 100.50m,
            };
        }

        if (type == typeof(double) || type == typeof(float))
        {
            object number = key switch
            {
                "progress" => 45.5,
                "usage" or "averagegpuusage" => 78.5,
                "memoryused" or "usedmemory" => 12.5,
                "memorytotal" => 24.0,
                "temperature" => 65.0,
                _ => 45.2,
            };
            return Convert.ChangeType(number, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(int) || type == typeof(long))
        {
            object number = key switch
            {
                "gpuid" => 0,
                "page" or "attempt" or "maxuses" => 1,
                "pagesize" => 20,
                "totalpages" => 5,
                "total" => 100,
                "priority" => 2,
                "estimatedduration" => 30,
                "timeoutseconds" or "defaulttasktimeout" => 3600,
                "expiresin" => 1800,
                "maxconcurrenttasks" => 4,
                "maxconcurrenttasksperuser" => 5,
                "gpucount" => 2,
                "queueposition" => 3,
                "heartbeattimeoutseconds" => 30,
                "logretentiondays" => 30,
                "batchsize" or "totalgenerated" => 10,
                _ => 2,
            };
            return Convert.ChangeType(number, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (typeof(JsonNode).IsAssignableFrom(type))
        {
            return key == "result"
                ? new JsonObject { ["objects_detected"] = 42, ["summary"] = "…" }
                : new JsonObject { ["video_url"] = "https://example.com/video.mp4", ["analysis_type"] = "content" };
        }

        if (type == typeof(object))
        {
            return null;
        }

        if (depth > 6)
        {
            return null;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableSortedDictionary<,>))
        {
            return ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Prices);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var generic
            && (generic == typeof(Dictionary<,>) || generic == typeof(IDictionary<,>) || generic == typeof(IReadOnlyDictionary<,>)))
        {
            var args = type.GetGenericArguments();
            var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
            if (args[1] == typeof(decimal))
            {
                foreach (var (k, v) in Prices)
                {
                    map[k] = v;
                }
            }
            else
            {
                map["field"] = Create(args[1], "", depth + 1);
            }

            return map;
        }

        if (ElementType(type) is { } element)
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Create(element, name, depth + 1));
            if (!type.IsArray)
            {
                return list;
            }

            var array = Array.CreateInstance(element, 1);
            list.CopyTo(array, 0);
            return array;
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(0);
        }

        return CreateObject(type, depth);
    }

    private static readonly KeyValuePair<string, decimal>[] Prices =
        [new("video_analysis", 0.10m), new("training", 0.10m), new("inference", 0.05m), new("data_processing", 0.03m), new("test", 0.00m)];

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(IEnumerable).IsAssignableFrom(type)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private object? CreateObject(Type type, int depth)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        if (constructor is null)
        {
            return null;
        }

        var arguments = constructor.GetParameters().Select(p => Create(p.ParameterType, p.Name ?? "", depth + 1)).ToArray();
        var instance = constructor.Invoke(arguments);
        if (constructor.GetParameters().Length == 0)
        {
            // Request records: init-only properties with a parameterless constructor.
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                property.SetValue(instance, Create(property.PropertyType, property.Name, depth + 1));
            }
        }

        return instance;
    }
}
