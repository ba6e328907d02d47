namespace Berth.Ecr.Contracts;

public sealed record RepositoryFilterDto(string Filter, string FilterType);

public sealed record PutReplicationConfigurationRequest(ReplicationConfigurationDto ReplicationConfiguration);

public sealed record PutReplicationConfigurationResponse(ReplicationConfigurationDto ReplicationConfiguration);
