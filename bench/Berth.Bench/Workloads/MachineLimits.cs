using System.Diagnostics;
using System.Security.Cryptography;
using Berth.Bench.Load;
using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;

namespace Berth.Bench.Workloads;

/// <summary>
/// The ceilings of this machine, measured in the same run: what one core hashes (every pushed byte is hashed once),
/// what the data dir's disk writes with an fsync, and what wrk and Kestrel do over loopback with no registry work.
/// The three that bound a push (hash, write, loopback upload) are kept in <see cref="BenchContext.PushLimit"/>.
/// </summary>
public static class MachineLimits
{
    private const string Group = "machine limits";

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        var sha256 = Sha256MiBPerSecond(context.Options);
        context.PushLimit.Set("SHA-256 of one core", sha256);
        table.Add(new Row(Group, "SHA-256, one core (IncrementalHash, 1 MiB appends)", "MiB/s", true) { Berth = sha256 });
        var fsyncWrite = await FsyncWriteMiBPerSecondAsync(context);
        context.PushLimit.Set("write + fsync", fsyncWrite);
        table.Add(new Row(Group, $"sequential write + fsync, {context.Options.FsyncWriteSize / BenchOptions.MiB} MiB to the data dir's disk", "MiB/s", true)
        {
            Berth = fsyncWrite,
        });

        await using var kestrel = await TrivialKestrel.StartAsync(context.Options.BlobSize);
        if (Tools.Missing(context.Tools.Wrk, "wrk", "apt-get install wrk") is { } missing)
        {
            table.Add(new Row(Group, "trivial Kestrel GET (200, 2 bytes)", "req/s", true) { Note = missing });
        }
        else
        {
            var values = new List<double>();
            for (var run = 0; run < context.Options.LoadRuns; run++)
            {
                var result = await Wrk.GetAsync(context, new Uri(kestrel.BaseUri, "/"), context.Options.ManifestConnections);
                values.Add(result.RequestsPerSecond);
            }

            table.Add(new Row(Group, $"trivial Kestrel GET (200, 2 bytes), wrk {context.Options.ManifestConnections} connections", "req/s", true)
            {
                Berth = Samples.Median(values),
            });
        }

        var transfers = new List<double>();
        for (var run = 0; run < context.Options.TransferRuns; run++)
        {
            var clock = Stopwatch.StartNew();
            var bytes = await PullBigAsync(context, kestrel);
            transfers.Add(bytes / (double)BenchOptions.MiB / clock.Elapsed.TotalSeconds);
        }

        table.Add(new Row(Group, $"trivial Kestrel GET of {context.Options.BlobSize / BenchOptions.MiB} MiB from memory, one connection", "MiB/s", true)
        {
            Berth = Samples.Median(transfers),
        });

        // A push sends, so its loopback ceiling is an upload: the client's send and Kestrel's receive, nothing stored.
        var body = new byte[context.Options.BlobSize];
        Random.Shared.NextBytes(body);
        var uploads = new List<double>();
        for (var run = 0; run < context.Options.TransferRuns; run++)
        {
            var clock = Stopwatch.StartNew();
            await PushBigAsync(context, kestrel, body);
            uploads.Add(body.Length / (double)BenchOptions.MiB / clock.Elapsed.TotalSeconds);
        }

        var upload = Samples.Median(uploads);
        context.PushLimit.Set("loopback upload", upload);
        table.Add(new Row(Group, $"trivial Kestrel PUT of {context.Options.BlobSize / BenchOptions.MiB} MiB, body read and dropped, one connection", "MiB/s", true)
        {
            Berth = upload,
        });
    }

    private static async Task PushBigAsync(BenchContext context, TrivialKestrel kestrel, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        using var response = await context.Http.PutAsync(new Uri(kestrel.BaseUri, "/sink"), content);
        response.EnsureSuccessStatusCode();
        var received = long.Parse(await response.Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture);
        if (received != body.Length)
        {
            throw new InvalidOperationException($"the sink received {received} bytes, expected {body.Length}");
        }
    }

    private static async Task<long> PullBigAsync(BenchContext context, TrivialKestrel kestrel)
    {
        using var response = await context.Http.GetAsync(new Uri(kestrel.BaseUri, "/big"), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1024 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static double Sha256MiBPerSecond(BenchOptions options)
    {
        var data = new byte[(int)Math.Min(options.BlobSize, 256 * BenchOptions.MiB)];
        Random.Shared.NextBytes(data);
        var values = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var clock = Stopwatch.StartNew();
            for (var offset = 0; offset < data.Length; offset += 1024 * 1024)
            {
                hash.AppendData(data, offset, Math.Min(1024 * 1024, data.Length - offset));
            }

            hash.GetHashAndReset();
            values.Add(data.Length / (double)BenchOptions.MiB / clock.Elapsed.TotalSeconds);
        }

        return Samples.Median(values);
    }

    private static async Task<double> FsyncWriteMiBPerSecondAsync(BenchContext context)
    {
        var dir = context.NewDir("fsync");
        var path = Path.Combine(dir, "write.bin");
        var chunk = new byte[1024 * 1024];
        Random.Shared.NextBytes(chunk);
        var values = new List<double>();
        for (var run = 0; run < Math.Min(3, context.Options.TransferRuns); run++)
        {
            var clock = Stopwatch.StartNew();
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                for (long written = 0; written < context.Options.FsyncWriteSize; written += chunk.Length)
                {
                    await file.WriteAsync(chunk);
                }

                file.Flush(flushToDisk: true);
            }

            values.Add(context.Options.FsyncWriteSize / (double)BenchOptions.MiB / clock.Elapsed.TotalSeconds);
            File.Delete(path);
        }

        return Samples.Median(values);
    }
}
