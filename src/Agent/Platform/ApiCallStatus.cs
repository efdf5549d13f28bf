namespace OwlFactory.Agent.Platform;

/// <summary>What the agent should do about an API call's answer.</summary>
internal enum ApiCallStatus
{
    /// <summary>2xx: done.</summary>
    Ok,

    /// <summary>401/403: the token is wrong or was rotated; retry with backoff (an operator may fix it).</summary>
    Unauthorized,

    /// <summary>404/409: the task is not ours any more, or its state forbids the call: stop it and forget it.</summary>
    Gone,

    /// <summary>Another 4xx, or an answer the agent cannot read: retrying the same call will not help.</summary>
    Rejected,

    /// <summary>No connection, a timeout, 408/429 or 5xx: retry with backoff.</summary>
    Unavailable,
}
