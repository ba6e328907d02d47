namespace Berth.Ecr;

/// <summary>Where an operation's resource is named in its request.</summary>
public enum EcrResourceSelector
{
    /// <summary>The registry of <c>registryId</c> (the caller's own when absent or not a member).</summary>
    Registry,

    /// <summary>The repository <c>repositoryName</c> in the registry of <c>registryId</c>.</summary>
    Repository,

    /// <summary>The repository ARN in <c>resourceArn</c> (the tagging operations).</summary>
    ResourceArn,

    /// <summary>Every repository (<c>repository/*</c>) of the registry of <c>registryId</c>: listing repositories.</summary>
    Repositories,
}

/// <summary>Whether an operation only reads or also changes state (IAM's access level, tagging counted as write).</summary>
public enum EcrAccess
{
    Read,
    Write,
}

/// <summary>
/// One ECR operation as the pipeline sees it: the handler (null while Berth does not implement it), the IAM action
/// it is authorized as, where its resource is named, and whether it writes.
/// </summary>
public sealed record EcrOperationDescriptor(string Name, EcrResourceSelector Resource, EcrAccess Access, Func<EcrRequest, Task<EcrResult>>? Handler)
{
    public string Action { get; } = "ecr:" + Name;

    public bool IsImplemented => Handler is not null;
}
