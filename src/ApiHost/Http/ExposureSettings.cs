namespace OwlFactory.ApiHost.Http;

/// <summary>Which operational endpoints are served, and to whom. Bound from <c>Owl:Http</c>.</summary>
public sealed class ExposureSettings
{
    public const string Section = "Owl:Http";

    /// <summary>The Prometheus scrape endpoint <c>/metrics</c>.</summary>
    public Exposure Metrics { get; set; } = Exposure.Public;

    /// <summary>The OpenAPI document <c>/api/openapi/v1.json</c> and the API reference <c>/api/docs</c>.</summary>
    public Exposure OpenApi { get; set; } = Exposure.Public;
}
