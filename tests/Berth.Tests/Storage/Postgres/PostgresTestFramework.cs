using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Berth.Tests.Storage.Postgres.PostgresTestFramework", "Berth.Tests")]

namespace Berth.Tests.Storage.Postgres;

/// <summary>
/// xUnit's own framework, except that without a PostgreSQL server (<see cref="TestPostgres.Variable"/> unset) every
/// test of this namespace is reported skipped with the reason, unless BERTH_E2E_REQUIRED=1 asks for failures instead.
/// </summary>
/// <remarks>
/// The shared suites' tests are plain [Fact]s inherited from abstract classes, and xUnit 2 cannot skip a test from its
/// body or its InitializeAsync; deciding at discovery is the one place a skip with a reason can be given.
/// </remarks>
public sealed class PostgresTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        private static readonly string Namespace = typeof(PostgresTestFramework).Namespace + ".";

        protected override bool FindTestsForMethod(
            ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (TestPostgres.SkipReason is not { } reason
                || !testMethod.TestClass.Class.Name.StartsWith(Namespace, StringComparison.Ordinal)
                || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            var skipped = new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}
