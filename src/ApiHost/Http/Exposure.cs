namespace OwlFactory.ApiHost.Http;

/// <summary>Who may read an operational endpoint (<c>/metrics</c>, the OpenAPI document and the API reference).</summary>
public enum Exposure
{
    /// <summary>Anyone who reaches the API host.</summary>
    Public,

    /// <summary>Requests from this machine only (the remote address after trusted forwarded headers is loopback).</summary>
    Loopback,

    /// <summary>Requests with an admin's token.</summary>
    Admin,

    /// <summary>Not served at all (404).</summary>
    Off,
}
