namespace OwlFactory.ApiHost.Health;

public sealed record HealthReport(string Status, bool Database, bool Cluster, int ActiveSilos);
