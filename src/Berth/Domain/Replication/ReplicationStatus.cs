namespace Berth.Domain.Replication;

/// <summary>Where the copy of one image to one destination stands, as DescribeImageReplicationStatus reports it.</summary>
public sealed record ReplicationStatus(ReplicationDestination Destination, ReplicationState State, string? FailureCode);

/// <summary>ECR's replication states.</summary>
public enum ReplicationState
{
    InProgress,
    Complete,
    Failed,
}

/// <summary>ECR's names for <see cref="ReplicationState"/>.</summary>
public static class ReplicationStateNames
{
    public static string Of(ReplicationState state) => state switch
    {
        ReplicationState.InProgress => "IN_PROGRESS",
        ReplicationState.Complete => "COMPLETE",
        _ => "FAILED",
    };

    public static ReplicationState Parse(string name) => name switch
    {
        "IN_PROGRESS" => ReplicationState.InProgress,
        "COMPLETE" => ReplicationState.Complete,
        _ => ReplicationState.Failed,
    };
}
