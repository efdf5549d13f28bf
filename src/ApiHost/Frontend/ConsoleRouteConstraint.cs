using System.Globalization;

namespace OwlFactory.ApiHost.Frontend;

/// <summary>
/// Matches the console's page addresses: not /api (its unknown routes stay 404 envelopes, its wrong methods 405),
/// not /metrics, and not a file name (a missing asset is a 404, not the app's page).
/// </summary>
public sealed class ConsoleRouteConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        var path = Convert.ToString(values[routeKey], CultureInfo.InvariantCulture) ?? "";
        var first = path.Split('/', 2)[0];
        var last = path[(path.LastIndexOf('/') + 1)..];
        return !first.Equals("api", StringComparison.OrdinalIgnoreCase)
            && !first.Equals("metrics", StringComparison.OrdinalIgnoreCase)
            && !last.Contains('.', StringComparison.Ordinal);
    }
}
