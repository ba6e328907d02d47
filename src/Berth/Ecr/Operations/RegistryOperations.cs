using Berth.Domain.Replication;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Registry-wide operations: the registry's description and its replication configuration.</summary>
public sealed class RegistryOperations(ReplicationService replication)
{
    public async Task<EcrResult> DescribeRegistryAsync(EcrRequest request)
    {
        var configuration = await replication.GetConfigurationAsync(request.Scope, request.CancellationToken);
        return EcrResult.Ok(
            new DescribeRegistryResponse(request.Scope.AccountId, ToDto(configuration)),
            EcrJsonContext.Default.DescribeRegistryResponse);
    }

    public async Task<EcrResult> PutReplicationConfigurationAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PutReplicationConfigurationRequest);
        var stored = await replication.PutConfigurationAsync(request.Scope, FromDto(input.ReplicationConfiguration), request.CancellationToken);
        return stored.IsSuccess
            ? EcrResult.Ok(new PutReplicationConfigurationResponse(ToDto(stored.Value)), EcrJsonContext.Default.PutReplicationConfigurationResponse)
            : stored.Error!;
    }

    private static ReplicationConfiguration FromDto(ReplicationConfigurationDto dto)
    {
        var rules = new List<ReplicationRule>(dto.Rules.Count);
        foreach (var rule in dto.Rules)
        {
            var destinations = new List<ReplicationDestination>(rule.Destinations.Count);
            foreach (var destination in rule.Destinations)
            {
                destinations.Add(new ReplicationDestination(destination.Region, destination.RegistryId));
            }

            List<RepositoryFilter>? filters = null;
            if (rule.RepositoryFilters is { } given)
            {
                filters = new List<RepositoryFilter>(given.Count);
                foreach (var filter in given)
                {
                    filters.Add(new RepositoryFilter(filter.Filter, filter.FilterType));
                }
            }

            rules.Add(new ReplicationRule(destinations, filters));
        }

        return new ReplicationConfiguration(rules);
    }

    private static ReplicationConfigurationDto ToDto(ReplicationConfiguration configuration)
    {
        var rules = new List<ReplicationRuleDto>(configuration.Rules.Count);
        foreach (var rule in configuration.Rules)
        {
            var destinations = new List<ReplicationDestinationDto>(rule.Destinations.Count);
            foreach (var destination in rule.Destinations)
            {
                destinations.Add(new ReplicationDestinationDto(destination.Region, destination.RegistryId));
            }

            List<RepositoryFilterDto>? filters = null;
            if (rule.RepositoryFilters is { Count: > 0 } given)
            {
                filters = new List<RepositoryFilterDto>(given.Count);
                foreach (var filter in given)
                {
                    filters.Add(new RepositoryFilterDto(filter.Filter, filter.FilterType));
                }
            }

            rules.Add(new ReplicationRuleDto(destinations, filters));
        }

        return new ReplicationConfigurationDto(rules);
    }
}
