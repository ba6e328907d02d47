using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Registry-wide operations.</summary>
public sealed class RegistryOperations
{
    /// <summary>No replication can be configured yet, so the registry truthfully reports no rules.</summary>
    public Task<EcrResult> DescribeRegistryAsync(EcrRequest request) =>
        Task.FromResult(EcrResult.Ok(
            new DescribeRegistryResponse(request.Caller.AccountId, new ReplicationConfigurationDto([])),
            EcrJsonContext.Default.DescribeRegistryResponse));
}
