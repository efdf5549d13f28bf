using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;

namespace OwlFactory.Silo;

/// <summary>Where this silo sits in the cluster. Bound from <c>Owl:Cluster</c>.</summary>
public sealed class ClusterSettings
{
    public const string Section = "Owl:Cluster";

    /// <summary>Silos and clients with the same cluster id form one cluster.</summary>
    [Required]
    public string ClusterId { get; set; } = "owl";

    /// <summary>Keys grain storage and reminders: keep it stable across deployments.</summary>
    [Required]
    public string ServiceId { get; set; } = "owl-factory";

    /// <summary>The address other silos and clients reach this silo on; <c>auto</c> takes this host's first IPv4 address (containers).</summary>
    [Required]
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Listen on every interface instead of the advertised address only. Off by default: with the default advertised
    /// address (127.0.0.1) the silo and gateway ports are reachable from this machine only.
    /// </summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>
    /// Running as a Kubernetes pod (docker/k8s/): the silo advertises the pod's address (<c>POD_IP</c>) and listens
    /// on every interface, and Orleans' Kubernetes hosting names it after its pod (<c>POD_NAME</c>) and declares a
    /// silo dead as soon as its pod is deleted. <see cref="AdvertisedIp"/> and <see cref="ListenOnAnyAddress"/> are
    /// then not used. Membership stays in PostgreSQL. Off by default, so a run outside Kubernetes is unchanged.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>The pod's address, which the downward API puts in <c>POD_IP</c> (<c>status.podIP</c>).</summary>
    public static IPAddress PodIp()
        => IPAddress.TryParse(Environment.GetEnvironmentVariable("POD_IP"), out var address)
            ? address
            : throw new InvalidOperationException(
                "Owl:Cluster:Kubernetes is set but POD_IP is not an IP address: give the silo's container the variable POD_IP from the downward API (status.podIP).");

    public IPAddress ResolveAdvertisedIp()
        => AdvertisedIp == "auto"
            ? Dns.GetHostAddresses(Dns.GetHostName()).First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            : IPAddress.Parse(AdvertisedIp);
}
