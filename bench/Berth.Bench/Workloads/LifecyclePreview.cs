using System.Diagnostics;
using System.Text.Json;
using Berth.Bench.Http;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// PutLifecyclePolicy, StartLifecyclePolicyPreview, then GetLifecyclePolicyPreview polled until COMPLETE: the
/// time for Berth to evaluate a policy over every image of a large repository.
/// </summary>
public static class LifecyclePreview
{
    // Keeps the newest 1,000 images: every other image is a candidate, so the preview walks the whole repository.
    private const string Policy =
        "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep the newest 1000\",\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1000},\"action\":{\"type\":\"expire\"}}]}";

    /// <summary>
    /// False when Berth answers UnsupportedOperationException to StartLifecyclePolicyPreview (the feature has not
    /// landed); asked before a repository is seeded for it, with no policy set, so a working preview is not started.
    /// </summary>
    public static async Task<bool> IsSupportedAsync(EcrClient ecr, string repository)
    {
        try
        {
            await ecr.CallAsync("StartLifecyclePolicyPreview", $"{{\"repositoryName\":{Json.Str(repository)}}}");
            return true;
        }
        catch (EcrCallException ex) when (ex.Type == "UnsupportedOperationException")
        {
            return false;
        }
        catch (EcrCallException)
        {
            // LifecyclePolicyNotFoundException (no policy yet) and the like: the operation exists.
            return true;
        }
    }

    public static async Task<Row> RunAsync(BerthServer berth, EcrClient ecr, string repository, int images, string group)
    {
        var label = $"lifecycle policy preview, {images:N0} images";
        try
        {
            var (seconds, rss) = await MeasureAsync(berth, ecr, repository);
            return new Row(group, label, "s", false) { Berth = seconds, BerthPeakRssMiB = rss, Note = "start to COMPLETE, polled every 50 ms" };
        }
        catch (EcrCallException ex) when (ex.Type == "UnsupportedOperationException")
        {
            return new Row(group, label, "s", false) { Note = "not available yet: " + ex.Message };
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            return new Row(group, label, "s", false) { Note = "failed: " + ex.Message };
        }
    }

    /// <summary>Sets the policy, then times StartLifecyclePolicyPreview to COMPLETE; the server's peak RSS meanwhile.</summary>
    public static async Task<(double Seconds, double PeakRssMiB)> MeasureAsync(BerthServer berth, EcrClient ecr, string repository)
    {
        var name = Json.Str(repository);
        await ecr.CallAsync("PutLifecyclePolicy", $"{{\"repositoryName\":{name},\"lifecyclePolicyText\":{Json.Str(Policy)}}}");
        await using var sampler = Processes.RssSampler.Start(berth.Process.Id);
        var clock = Stopwatch.StartNew();
        await ecr.CallAsync("StartLifecyclePolicyPreview", $"{{\"repositoryName\":{name}}}");
        while (true)
        {
            var preview = await ecr.CallAsync("GetLifecyclePolicyPreview", $"{{\"repositoryName\":{name},\"maxResults\":100}}");
            var status = preview.GetProperty("status").GetString();
            if (status == "COMPLETE")
            {
                break;
            }

            if (status is "FAILED" or "EXPIRED")
            {
                throw new InvalidOperationException($"the preview ended {status}");
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("the preview did not complete in 5 minutes");
            }

            await Task.Delay(50);
        }

        return (clock.Elapsed.TotalSeconds, await sampler.StopAsync());
    }

    /// <summary>The errors a preview run reports in its row instead of aborting the group.</summary>
    public static bool IsFailure(Exception ex) =>
        ex is EcrCallException or InvalidOperationException or TimeoutException or JsonException or KeyNotFoundException;
}
