using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Domain.Outbox;

namespace Berth.Domain.Replication;

/// <summary>
/// ECR's registry replication: the configuration (PutReplicationConfiguration, DescribeRegistry), the copies every
/// push causes (written to the outbox in the push's transaction) and what DescribeImageReplicationStatus reports.
/// </summary>
public sealed class ReplicationService(IMetadataStore store, TimeProvider time) : IPushOutboxProducer
{
    /// <summary>The outbox kind of one image copy to one destination.</summary>
    public const string Kind = "replication";

    /// <summary>ECR's quota: unique destinations across all the rules of a configuration.</summary>
    public const int MaxDestinations = 25;

    // Another node's configuration change reaches this node's pushes within this long; this node's own at once.
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<RegistryScope, (ReplicationConfiguration Configuration, DateTimeOffset LoadedAt)> _cache = new();

    /// <summary>The registry's configuration; no rules when it never set one.</summary>
    public async Task<ReplicationConfiguration> GetConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(registry, out var cached) && now - cached.LoadedAt < MaxAge)
        {
            return cached.Configuration;
        }

        var text = await store.Replication.GetConfigurationAsync(registry, cancellationToken);
        var configuration = text is null
            ? ReplicationConfiguration.Empty
            : JsonSerializer.Deserialize(text, ReplicationJson.Default.ReplicationConfiguration) ?? ReplicationConfiguration.Empty;
        _cache[registry] = (configuration, now);
        return configuration;
    }

    /// <summary>Replaces the registry's configuration after the checks the model cannot express.</summary>
    public async Task<Result<ReplicationConfiguration>> PutConfigurationAsync(
        RegistryScope registry, ReplicationConfiguration configuration, CancellationToken cancellationToken)
    {
        var unique = new HashSet<ReplicationDestination>();
        foreach (var rule in configuration.Rules)
        {
            foreach (var destination in rule.Destinations)
            {
                if (destination.Scope == registry)
                {
                    return new DomainError(ErrorCode.InvalidParameter, "Replication destination cannot be the same as the source registry");
                }

                unique.Add(destination);
            }

            foreach (var filter in rule.RepositoryFilters ?? [])
            {
                if (filter.FilterType != "PREFIX_MATCH")
                {
                    return DomainError.InvalidParameter("replicationConfiguration.rules.member.repositoryFilters.member.filterType", "Member must satisfy enum value set: [PREFIX_MATCH]");
                }
            }
        }

        if (unique.Count > MaxDestinations)
        {
            return new DomainError(
                ErrorCode.InvalidParameter,
                $"The replication configuration names {unique.Count} unique destinations; the limit is {MaxDestinations}.");
        }

        await store.Replication.PutConfigurationAsync(registry, JsonSerializer.Serialize(configuration, ReplicationJson.Default.ReplicationConfiguration), cancellationToken);
        _cache[registry] = (configuration, time.GetUtcNow());
        return configuration;
    }

    /// <summary>One message per destination whose rule matches the repository; a destination named by several rules copies once.</summary>
    public async ValueTask<IReadOnlyList<OutboxMessage>> MessagesForPushAsync(RepositoryKey repository, Digest digest, string? tag, CancellationToken cancellationToken)
    {
        var configuration = await GetConfigurationAsync(repository.Scope, cancellationToken);
        if (configuration.Rules.Count == 0)
        {
            return [];
        }

        var subject = ReplicationTask.SubjectOf(repository, digest);
        var seen = new HashSet<ReplicationDestination>();
        var messages = new List<OutboxMessage>();
        foreach (var rule in configuration.Rules)
        {
            if (!rule.Matches(repository.Name))
            {
                continue;
            }

            foreach (var destination in rule.Destinations)
            {
                if (!seen.Add(destination))
                {
                    continue;
                }

                var task = new ReplicationTask(
                    repository.AccountId, repository.Region, repository.Name, digest.ToString(), tag, destination.Region, destination.RegistryId);
                messages.Add(new OutboxMessage(Kind, subject, JsonSerializer.Serialize(task, ReplicationJson.Default.ReplicationTask)));
            }
        }

        return messages;
    }

    /// <summary>
    /// Each destination's state for one image: IN_PROGRESS while a copy waits in the outbox (a newer push of the same
    /// image included), else the recorded outcome.
    /// </summary>
    public async Task<IReadOnlyList<ReplicationStatus>> DescribeStatusAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken)
    {
        var recorded = await store.Replication.ListStatusesAsync(repository, digest, cancellationToken);
        var pending = await store.Outbox.ListAsync(Kind, ReplicationTask.SubjectOf(repository, digest), cancellationToken);
        var byDestination = new SortedDictionary<(string Region, string Registry), ReplicationStatus>();
        foreach (var status in recorded)
        {
            byDestination[(status.Destination.Region, status.Destination.RegistryId)] = status;
        }

        foreach (var entry in pending)
        {
            if (ReadTask(entry.Payload) is { } task)
            {
                byDestination[(task.DestinationRegion, task.DestinationRegistryId)] = new ReplicationStatus(task.Destination, ReplicationState.InProgress, null);
            }
        }

        return [.. byDestination.Values];
    }

    /// <summary>The task a replication message carries; null for a payload this version cannot read.</summary>
    public static ReplicationTask? ReadTask(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, ReplicationJson.Default.ReplicationTask);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
