namespace Berth.Tests.EndToEnd;

/// <summary>
/// A fact that needs external tools (aws CLI, boto3, skopeo). It skips with a visible reason when one is
/// missing, unless BERTH_E2E_REQUIRED=1 (set by CI), in which case it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class E2EFactAttribute : FactAttribute
{
    public E2EFactAttribute(params string[] tools)
    {
        if (Environment.GetEnvironmentVariable("BERTH_E2E_REQUIRED") == "1")
        {
            return;
        }

        foreach (var tool in tools)
        {
            if (!Tools.IsAvailable(tool))
            {
                Skip = $"needs {tool}, which this machine lacks (set BERTH_E2E_REQUIRED=1 to fail instead)";
                return;
            }
        }
    }
}
