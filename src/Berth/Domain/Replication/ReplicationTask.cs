namespace Berth.Domain.Replication;

/// <summary>
/// The payload of one <c>replication</c> outbox message: copy <see cref="Digest"/> (and <see cref="Tag"/>, when the
/// push named one) from the source repository to one destination.
/// </summary>
public sealed record ReplicationTask(
    string SourceAccount,
    string SourceRegion,
    string Repository,
    string Digest,
    string? Tag,
    string DestinationRegion,
    string DestinationRegistryId)
{
    public RepositoryKey Source => new(SourceAccount, SourceRegion, Repository);

    public ReplicationDestination Destination => new(DestinationRegion, DestinationRegistryId);

    /// <summary>The outbox subject that finds the pending copies of one image: its repository and digest.</summary>
    public static string SubjectOf(RepositoryKey source, Domain.Digest digest) =>
        $"{source.AccountId}/{source.Region}/{source.Name}@{digest}";
}
