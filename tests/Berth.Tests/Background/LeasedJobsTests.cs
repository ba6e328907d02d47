using System.Collections.Concurrent;
using System.Net;
using Berth.Background;
using Berth.Domain;
using Berth.Domain.Collection;
using Berth.Domain.Lifecycle;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Background;

/// <summary>
/// The leased lifecycle and GC jobs, as hosted: two job instances (two nodes) over one store run the job on one node
/// at a time, and the job moves when its holder stops renewing. Real time, with intervals of a tenth of a second.
/// </summary>
public sealed class LeasedJobsTests : IAsyncLifetime
{
    private const string KeepNewest = """
        {"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}
        """;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private BerthHost _host = null!;

    private IMetadataStore Store => _host.Services.GetRequiredService<IMetadataStore>();

    private RegistryPusher Pusher => new(_host.Client);

    public async Task InitializeAsync() => _host = await BerthHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Lifecycle_runs_on_the_lease_holder_only_while_the_other_node_skips_every_run()
    {
        // A long TTL: the holder keeps the lease for the whole test however slowly its renewals are scheduled.
        await using var pair = await Pair.StartAsync(() => Node.Lifecycle(this, TimeSpan.FromSeconds(30)));
        var (first, second) = (pair.First, pair.Second);
        var (repository, old, newest) = await TwoImagesUnderKeepNewestAsync("lifecycle-one");

        // The holder's run expires the older image; the other node skips run after run meanwhile.
        await WaitUntilAsync(async () => (await Pusher.GetManifestAsync(repository, old.Digest)).Status == HttpStatusCode.NotFound, "the policy's expiry");
        await second.WaitForAsync(JobLeaseHeldElsewhereEvent, "the second node skipping runs", count: 3);
        Assert.Equal(HttpStatusCode.OK, (await Pusher.GetManifestAsync(repository, newest.Digest)).Status);
        Assert.Equal(0, second.Count(JobLeaseTakenEvent));
        Assert.Equal(0, first.Count(JobLeaseHeldElsewhereEvent));
    }

    [Fact]
    public async Task Lifecycle_moves_to_the_other_node_when_the_holder_stops_renewing()
    {
        await using var pair = await Pair.StartAsync(() => Node.Lifecycle(this, TimeSpan.FromSeconds(1)));
        var (first, second) = (pair.First, pair.Second);
        await second.WaitForAsync(JobLeaseHeldElsewhereEvent, "the second node skipping a run");

        // The holder can no longer reach the leases (as a dead or cut-off node): it neither renews nor runs.
        first.Sever();
        var (repository, old, newest) = await TwoImagesUnderKeepNewestAsync("lifecycle-move");

        await second.WaitForAsync(JobLeaseTakenEvent, "the second node taking the lease once it expired");
        await WaitUntilAsync(async () => (await Pusher.GetManifestAsync(repository, old.Digest)).Status == HttpStatusCode.NotFound, "the policy's expiry on the second node");
        Assert.Equal(HttpStatusCode.OK, (await Pusher.GetManifestAsync(repository, newest.Digest)).Status);
    }

    [Fact]
    public async Task Gc_runs_on_one_node_and_moves_to_the_other_when_the_holder_stops_renewing()
    {
        await using var pair = await Pair.StartAsync(() => Node.Gc(this, TimeSpan.FromSeconds(1)));
        var (first, second) = (pair.First, pair.Second);
        var repository = await CreateRepositoryAsync("gc-move");

        // While the first node holds the lease, it collects and the second skips.
        var orphan = await Pusher.PushBlobAsync(repository, RegistryPusher.Bytes("gc-orphan-1", 4096));
        await WaitUntilAsync(async () => await BlobStatusAsync(repository, orphan) == HttpStatusCode.NotFound, "the first node's collection");
        await second.WaitForAsync(JobLeaseHeldElsewhereEvent, "the second node skipping runs", count: 2);
        Assert.Equal(0, second.Count(JobLeaseTakenEvent));

        first.Sever();
        var next = await Pusher.PushBlobAsync(repository, RegistryPusher.Bytes("gc-orphan-2", 4096));
        await second.WaitForAsync(JobLeaseTakenEvent, "the second node taking the gc lease once it expired");
        await WaitUntilAsync(async () => await BlobStatusAsync(repository, next) == HttpStatusCode.NotFound, "the second node's collection");
    }

    private const int JobLeaseTakenEvent = 32;

    private const int JobLeaseHeldElsewhereEvent = 35;

    /// <summary>A new repository with an older and a newer image, then a policy that keeps only the newest.</summary>
    private async Task<(string Repository, PushedImage Old, PushedImage Newest)> TwoImagesUnderKeepNewestAsync(string repository)
    {
        await CreateRepositoryAsync(repository);
        var old = await Pusher.PushImageAsync(repository, "old", repository + "-old");
        var newest = await Pusher.PushImageAsync(repository, "newest", repository + "-newest");
        await _host.Ecr().OkAsync("PutLifecyclePolicy", $$"""{"repositoryName":"{{repository}}","lifecyclePolicyText":{{System.Text.Json.JsonSerializer.Serialize(KeepNewest)}}}""");
        return (repository, old, newest);
    }

    private async Task<string> CreateRepositoryAsync(string name)
    {
        await _host.Ecr().OkAsync("CreateRepository", $$"""{"repositoryName":"{{name}}"}""");
        return name;
    }

    private async Task<HttpStatusCode> BlobStatusAsync(string repository, string digest)
    {
        using var head = await _host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"));
        return head.StatusCode;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>One node's hosted job, with its own holder id, its own log and a lease connection the test can cut.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly RecordingLoggers _logs = new();
        private readonly SeverableMetadataStore _store;
        private readonly BackgroundService _job;

        private Node(IMetadataStore store, Func<SeverableMetadataStore, RecordingLoggers, BackgroundService> job)
        {
            _store = new SeverableMetadataStore(store);
            _job = job(_store, _logs);
        }

        public static Node Lifecycle(LeasedJobsTests test, TimeSpan ttl)
        {
            var options = new BerthOptions { LifecycleInterval = Interval, JobLeaseTtl = ttl };
            return new Node(test.Store, (store, logs) => new LifecycleJob(
                test._host.Services.GetRequiredService<LifecycleService>(), options, TimeProvider.System, logs.CreateLogger<LifecycleJob>(),
                new JobLeases(store, options, TimeProvider.System, logs)));
        }

        public static Node Gc(LeasedJobsTests test, TimeSpan ttl)
        {
            // A grace period, however short, so a collection never races the test's own pushes.
            var options = new BerthOptions { GcInterval = Interval, GcGracePeriod = TimeSpan.FromSeconds(1), JobLeaseTtl = ttl };
            return new Node(test.Store, (store, logs) => new GarbageCollectionJob(
                test._host.Services.GetRequiredService<GarbageCollector>(), options, TimeProvider.System, logs.CreateLogger<GarbageCollectionJob>(),
                new JobLeases(store, options, TimeProvider.System, logs)));
        }

        public Task StartAsync() => _job.StartAsync(CancellationToken.None);

        /// <summary>From now on every lease call of this node fails, as if it had lost the database or died.</summary>
        public void Sever() => _store.Severed = true;

        public int Count(int eventId) => _logs.Count(eventId);

        public async Task WaitForAsync(int eventId, string what, int count = 1) =>
            await WaitUntilAsync(() => Task.FromResult(_logs.Count(eventId) >= count), what);

        public async ValueTask DisposeAsync()
        {
            await _job.StopAsync(CancellationToken.None);
            _job.Dispose();
        }
    }

    /// <summary>Two nodes of one job, the first started alone until it holds the lease.</summary>
    private sealed class Pair(Node first, Node second) : IAsyncDisposable
    {
        public Node First { get; } = first;

        public Node Second { get; } = second;

        public static async Task<Pair> StartAsync(Func<Node> node)
        {
            var first = node();
            await first.StartAsync();
            await first.WaitForAsync(JobLeaseTakenEvent, "the first node to take the lease");
            var second = node();
            await second.StartAsync();
            return new Pair(first, second);
        }

        public async ValueTask DisposeAsync()
        {
            await First.DisposeAsync();
            await Second.DisposeAsync();
        }
    }

    /// <summary>The shared store, except that its leases fail once <see cref="Severed"/>.</summary>
    private sealed class SeverableMetadataStore(IMetadataStore inner) : ForwardingMetadataStore(inner), ILeaseStore
    {
        private readonly ILeaseStore _leases = inner.Leases;

        public bool Severed { get; set; }

        public override ILeaseStore Leases => this;

        public Task<bool> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken) =>
            Severed ? throw new IOException("severed from the database") : _leases.TryAcquireAsync(name, holder, ttl, cancellationToken);

        public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
            Severed ? throw new IOException("severed from the database") : _leases.ReleaseAsync(name, holder, cancellationToken);
    }

    /// <summary>Counts log events by id, from every logger it creates.</summary>
    private sealed class RecordingLoggers : ILoggerFactory
    {
        private readonly ConcurrentDictionary<int, int> _counts = new();

        public int Count(int eventId) => _counts.GetValueOrDefault(eventId);

        public ILogger CreateLogger(string categoryName) => new Logger(_counts);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentDictionary<int, int> counts) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                counts.AddOrUpdate(eventId.Id, 1, static (_, count) => count + 1);
        }
    }
}
