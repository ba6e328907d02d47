using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Berth.Tests.Support.BerthTestFramework", "Berth.Tests")]

namespace Berth.Tests.Support;

/// <summary>
/// Marks a test class that needs an external server named by an environment variable (BERTH_TEST_S3, for example).
/// When the variable is unset, every test of the class is reported skipped with <paramref name="reason"/>, unless
/// BERTH_E2E_REQUIRED=1 (set by CI), when the tests run and fail. Shared suites inherit their tests, so the attribute
/// goes on the backend's own class and the suites stay unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresEnvironmentAttribute(string variable, string reason) : Attribute
{
    public string Variable { get; } = variable;

    public string Reason { get; } = reason;

    /// <summary>Why the tests of <paramref name="testClass"/> are skipped, or null when they run.</summary>
    public static string? SkipReason(ITypeInfo testClass)
    {
        if (Environment.GetEnvironmentVariable("BERTH_E2E_REQUIRED") == "1")
        {
            return null;
        }

        foreach (var attribute in testClass.GetCustomAttributes(typeof(RequiresEnvironmentAttribute)))
        {
            var arguments = attribute.GetConstructorArguments().ToArray();
            if (arguments is [string variable, string reason] && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
            {
                return $"{reason} (set {variable}; BERTH_E2E_REQUIRED=1 fails instead)";
            }
        }

        return null;
    }
}

/// <summary>xUnit's own framework, except that it skips the classes <see cref="RequiresEnvironmentAttribute"/> names.</summary>
public sealed class BerthTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (RequiresEnvironmentAttribute.SkipReason(testMethod.TestClass.Class) is null
                || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            // One skipped case per method, theories included: a skipped case never binds its data.
            var skipped = new EnvironmentSkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}

/// <summary>A test case skipped because its class's server is not configured; the reason is recomputed after deserialisation.</summary>
public sealed class EnvironmentSkippedTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public EnvironmentSkippedTestCase()
    {
    }

    public EnvironmentSkippedTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        RequiresEnvironmentAttribute.SkipReason(TestMethod.TestClass.Class) ?? base.GetSkipReason(factAttribute);
}
