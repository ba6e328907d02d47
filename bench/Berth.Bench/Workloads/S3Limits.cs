using System.Globalization;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Berth.Bench.Load;
using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>What the S3 server itself does with no registry in front of it, measured in the same run.</summary>
/// <param name="PutMiBPerSecond">One multipart upload of the blob size in 8 MiB parts, sent one after another (as both registries upload).</param>
/// <param name="GetMiBPerSecond">One GET of the whole object.</param>
/// <param name="SmallGetsPerSecond">GETs of a 1 KiB object on a presigned URL under wrk; NaN without wrk.</param>
public sealed record S3Limit(double PutMiBPerSecond, double GetMiBPerSecond, double SmallGetsPerSecond)
{
    /// <summary>The limit a row of this kind is read against, and its unit.</summary>
    public (double Value, string What) For(Transfer transfer) => transfer switch
    {
        Transfer.Push => (PutMiBPerSecond, "multipart PUT"),
        Transfer.Pull => (GetMiBPerSecond, "GET"),
        _ => (SmallGetsPerSecond, "small-object GETs"),
    };
}

/// <summary>
/// The S3 server's own ceilings, straight through the AWS SDK (the client Berth uses) and wrk: a single PUT, a
/// multipart upload in 8 MiB parts, a whole-object GET, and small-object GETs under load. A registry on this server
/// cannot move blobs faster than these, and the moto CPU column of each note says when a registry's run kept it busy.
/// </summary>
public static class S3Limits
{
    public const string Group = "S3 server alone (limits)";

    private const int PartSize = 8 * 1024 * 1024;
    private const int SmallObjectSize = 1024;

    public static async Task<S3Limit> MeasureAsync(BenchContext context, ResultTable table, MotoServer moto, IAmazonS3 s3, string bucket)
    {
        var options = context.Options;
        var data = new byte[options.BlobSize];
        Random.Shared.NextBytes(data);
        var mib = options.BlobSize / (double)BenchOptions.MiB;
        var sizeLabel = $"{options.BlobSize / BenchOptions.MiB} MiB";

        var single = await MeasureAsync(moto, options.TransferRuns, run => BlobWorkloads.TimeAsync(
            () => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"single/{run}", InputStream = new MemoryStream(data, writable: false) }), mib));
        table.Add(Limit($"PUT object {sizeLabel}, one request", single, "MiB/s"));

        var multipart = await MeasureAsync(moto, options.TransferRuns, run => BlobWorkloads.TimeAsync(() => MultipartAsync(s3, bucket, $"multipart/{run}", data), mib));
        table.Add(Limit($"multipart upload {sizeLabel}, {PartSize / BenchOptions.MiB} MiB parts in sequence", multipart, "MiB/s"));

        var get = await MeasureAsync(moto, options.TransferRuns, _ => BlobWorkloads.TimeAsync(() => ReadAllAsync(s3, bucket, "multipart/0", options.BlobSize), mib));
        table.Add(Limit($"GET object {sizeLabel}", get, "MiB/s"));

        var small = double.NaN;
        var connections = options.ManifestConnections;
        var smallLabel = $"GET of a {SmallObjectSize / 1024} KiB object (presigned URL), wrk {connections} connections";
        if (Tools.Missing(context.Tools.Wrk, "wrk", "apt-get install wrk") is { } noWrk)
        {
            table.Add(new Row(Group, smallLabel, "req/s", true) { Note = noWrk });
        }
        else
        {
            var url = await SmallObjectUrlAsync(context, s3, bucket);
            var requests = await MeasureAsync(moto, options.LoadRuns, async _ =>
                ManifestWorkloads.Checked(await Wrk.GetAsync(context, url, connections), url.GetLeftPart(UriPartial.Path)));
            small = requests.Median;
            table.Add(Limit(smallLabel, requests, "req/s"));
        }

        return new S3Limit(multipart.Median, get.Median, small);
    }

    private static async Task<(double Median, double MotoCores)> MeasureAsync(MotoServer moto, int runs, Func<int, Task<double>> run)
    {
        var values = new List<double>(runs);
        var cores = 0.0;
        for (var i = 0; i < runs; i++)
        {
            var cpu = CpuUse.OfProcess(moto.Process.Id);
            values.Add(await run(i));
            cores = Math.Max(cores, cpu.Stop());
        }

        return (Samples.Median(values), cores);
    }

    private static Row Limit(string workload, (double Median, double MotoCores) result, string unit) => new(Group, workload, unit, true)
    {
        Berth = result.Median,
        Note = string.Create(CultureInfo.InvariantCulture, $"moto_server itself, no registry; moto CPU {result.MotoCores:F2} cores"),
    };

    private static async Task MultipartAsync(IAmazonS3 s3, string bucket, string key, byte[] data)
    {
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key });
        var parts = new List<PartETag>();
        for (var offset = 0; offset < data.Length; offset += PartSize)
        {
            var length = Math.Min(PartSize, data.Length - offset);
            var part = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartNumber = parts.Count + 1,
                InputStream = new MemoryStream(data, offset, length, writable: false),
                PartSize = length,
            });
            parts.Add(new PartETag(parts.Count + 1, part.ETag));
        }

        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = parts });
    }

    private static async Task ReadAllAsync(IAmazonS3 s3, string bucket, string key, long expected)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        var buffer = new byte[1024 * 1024];
        long total = 0;
        int read;
        while ((read = await response.ResponseStream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        if (total != expected)
        {
            throw new InvalidOperationException($"GET s3://{bucket}/{key} read {total} bytes, expected {expected}");
        }
    }

    /// <summary>Puts the small object and returns a presigned GET URL for it, checked once.</summary>
    private static async Task<Uri> SmallObjectUrlAsync(BenchContext context, IAmazonS3 s3, string bucket)
    {
        var body = new byte[SmallObjectSize];
        Random.Shared.NextBytes(body);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "small", InputStream = new MemoryStream(body) });
        var url = new Uri(await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = "small",
            Verb = HttpVerb.GET,
            Protocol = Protocol.HTTP,
            Expires = DateTime.UtcNow.AddHours(1),
        }));
        using var response = await context.Http.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK && bytes.AsSpan().SequenceEqual(body)
            ? url
            : throw new InvalidOperationException($"presigned GET {url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}");
    }
}
