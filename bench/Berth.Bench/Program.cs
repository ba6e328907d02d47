using System.Diagnostics;
using Berth.Bench;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Workloads;

// Never run from tests or CI: this starts servers, writes gigabytes and takes minutes.
var options = BenchOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

var repoRoot = Machine.FindRepoRoot();
if (repoRoot is null)
{
    Console.Error.WriteLine("berth-bench: run it from inside the Berth repository (no Berth.slnx found above the current directory)");
    return 2;
}

Console.CancelKeyPress += (_, _) => ChildProcess.KillAll();
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();

var workDir = options.WorkDir ?? Path.Combine(Path.GetTempPath(), $"berth-bench-{DateTime.Now:yyyyMMdd-HHmmss}");
Directory.CreateDirectory(workDir);
var total = Stopwatch.StartNew();
using var context = new BenchContext(options, repoRoot, workDir, Tools.Find());
var table = new ResultTable();
var failed = false;
try
{
    BenchContext.Log($"work dir {workDir}; groups {string.Join(' ', options.Groups)}{(options.Quick ? " (quick)" : string.Empty)}");
    await Machine.DescribeAsync(context, table);
    context.BerthExecutable = await Machine.PublishBerthAsync(context);
    foreach (var group in options.Groups)
    {
        BenchContext.Log($"== {group}");
        var clock = Stopwatch.StartNew();
        try
        {
            await (group switch
            {
                "limits" => MachineLimits.RunAsync(context, table),
                "blobs" => BlobWorkloads.RunAsync(context, table),
                "skopeo" => SkopeoWorkloads.RunAsync(context, table),
                "manifests" => ManifestWorkloads.RunAsync(context, table),
                "telemetry" => TelemetryCost.RunAsync(context, table),
                "ecr" => EcrApiWorkloads.RunAsync(context, table),
                "scale" => ScaleWorkloads.RunAsync(context, table),
                "s3" => S3Workloads.RunAsync(context, table),
                "startup" => StartupWorkloads.RunAsync(context, table),
                "lifecycle" => LifecycleWorkloads.RunAsync(context, table),
                _ => throw new InvalidOperationException("unknown group " + group),
            });
        }
        catch (Exception ex)
        {
            // One broken group must not cost the rest of the run: report it in the table and go on.
            failed = true;
            table.Add(new Row(group, $"{group} (group aborted)", "-", true) { Note = "failed: " + Peers.FirstLine(ex.Message) });
            BenchContext.Log(ex.ToString());
        }
        finally
        {
            ChildProcess.KillAll();
        }

        BenchContext.Log($"== {group} took {clock.Elapsed.TotalSeconds:F0} s");
    }
}
finally
{
    ChildProcess.KillAll();
    if (!options.Keep)
    {
        try
        {
            Directory.Delete(workDir, recursive: true);
        }
        catch (IOException ex)
        {
            BenchContext.Log($"could not remove {workDir}: {ex.Message}");
        }
    }
}

failed |= table.Rows.Any(r => r.Note.StartsWith("failed", StringComparison.Ordinal));
table.AddFact($"total run time {total.Elapsed.TotalMinutes:F1} min{(options.Quick ? "; --quick: small sizes, single short runs: a smoke test of the harness, not a measurement" : string.Empty)}");
var output = options.OutputPath ?? Path.Combine(repoRoot, "bench", "results", "latest.md");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, table.ToMarkdown());
Console.WriteLine();
Console.WriteLine(table.ToText());
Console.WriteLine($"markdown: {output}");
return failed ? 1 : 0;
