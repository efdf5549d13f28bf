using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace OwlFactory.Database.Hosting;

/// <summary>
/// Mutual TLS for cluster traffic (silo to silo, API host to gateway), off by default. Bound from
/// <c>Owl:Cluster:Tls</c> by the silo and the API host, the two processes that share this assembly. Every process
/// presents its certificate and accepts a peer only if the peer's certificate chains to <see cref="CaCertificatePath"/>
/// or, without a CA, is the very certificate this process holds (one cluster certificate shared by all processes).
/// </summary>
public sealed class ClusterTlsSettings
{
    public const string Section = "Owl:Cluster:Tls";

    public bool Enabled { get; set; }

    /// <summary>This process's certificate with its private key: a PKCS#12 (.pfx) file, or a PEM file with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>, when that is a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a .pfx file, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The CA (PEM or DER) that signs every cluster certificate; when unset, peers must hold this process's own certificate.</summary>
    public string? CaCertificatePath { get; set; }

    public X509Certificate2 LoadCertificate()
    {
        if (string.IsNullOrEmpty(CertificatePath))
        {
            throw new InvalidOperationException($"{Section}:Enabled is true but {Section}:CertificatePath is not set.");
        }

        var certificate = string.IsNullOrEmpty(KeyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword)
            : X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"The cluster certificate {CertificatePath} has no private key.");
    }

    /// <summary>Whether a peer's certificate is one of this cluster's.</summary>
    public bool IsTrustedPeer(X509Certificate2 own, X509Certificate2 peer, SslPolicyErrors errors)
    {
        if (string.IsNullOrEmpty(CaCertificatePath))
        {
            return peer.RawDataMemory.Span.SequenceEqual(own.RawDataMemory.Span);
        }

        // Host names do not matter inside the cluster (silos are reached by address); the chain does.
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var ca = X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(peer);
    }
}
