using System.Collections.Concurrent;
using System.Net;
using Berth.Domain.Auth;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Oci;

/// <summary>An unexpected failure under /v2/ answers the OCI error shape and logs one event, as the ECR endpoint does.</summary>
public sealed class ExceptionBoundaryTests
{
    [Fact]
    public async Task An_unexpected_exception_answers_500_UNKNOWN_and_logs_one_event()
    {
        var logs = new RecordingLoggerProvider();
        await using var host = await BerthHost.StartAsync(configureServices: services =>
        {
            services.AddSingleton<IAuthorizer>(new ThrowingAuthorizer());
            services.AddSingleton<ILoggerProvider>(logs);
        });

        using var response = await new OciClient(host.Client).GetAsync("/v2/team/app/tags/list");

        var message = await OciAssert.ErrorAsync(response, HttpStatusCode.InternalServerError, "UNKNOWN");
        Assert.DoesNotContain("boom", message, StringComparison.Ordinal);
        Assert.Equal("registry/2.0", OciAssert.Header(response, "Docker-Distribution-API-Version"));
        Assert.Equal(36, OciAssert.Header(response, "x-amzn-RequestId").Length);
        var logged = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(12, logged.EventId.Id);
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    [Fact]
    public async Task A_HEAD_that_fails_unexpectedly_is_a_bodiless_500()
    {
        await using var host = await BerthHost.StartAsync(configureServices: services => services.AddSingleton<IAuthorizer>(new ThrowingAuthorizer()));

        using var response = await new OciClient(host.Client).HeadAsync("/v2/team/app/manifests/latest");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private sealed class ThrowingAuthorizer : IAuthorizer
    {
        public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<(LogLevel Level, EventId EventId, Exception? Exception)> _entries = new();

        public IReadOnlyList<(LogLevel Level, EventId EventId, Exception? Exception)> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(_entries);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, EventId, Exception?)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, eventId, exception));
        }
    }
}
