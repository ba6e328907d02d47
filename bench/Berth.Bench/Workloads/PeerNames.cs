namespace Berth.Bench.Workloads;

/// <summary>How the peers are named in the table (versions are printed under it).</summary>
public static class PeerNames
{
    public const string Distribution = "docker-registry";
    public const string DistributionOnS3 = "docker-registry (s3)";
    public const string Moto = "moto_server";
    public const string OneBerthNode = "Berth, one node";
}
