using System.Globalization;
using System.Net;
using Berth.Bench.Http;
using Berth.Bench.Load;
using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// Manifest GET by tag and by digest, and tags/list, under 32 keep-alive connections from wrk. Each target is
/// checked once (status and bytes) before it is loaded, and a run with any non-2xx answer is reported as failed.
/// </summary>
public static class ManifestWorkloads
{
    private const string Group = "manifests (/v2/)";
    private const string Repository = "bench/manifests";
    private const int TagCount = 64;

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        var options = context.Options;
        var connections = options.ManifestConnections;
        string[] workloads = [$"manifest GET by tag, {connections} connections", $"manifest GET by digest, {connections} connections", $"tags/list ({TagCount} tags), {connections} connections"];
        if (Tools.Missing(context.Tools.Wrk, "wrk", "apt-get install wrk") is { } noWrk)
        {
            foreach (var workload in workloads)
            {
                table.Add(new Row(Group, workload, "req/s", true) { Note = noWrk });
            }

            return;
        }

        var tags = Enumerable.Range(0, TagCount).Select(i => i.ToString("'t'000", CultureInfo.InvariantCulture)).ToArray();
        await using var berth = await BerthServer.StartAsync(context, context.NewDir("berth-manifests"), sigV4: false);
        await Peers.CreateRepositoryAsync(berth.Ecr(context), Repository);
        var berthImage = await SmallImage.PushAsync(new RegistryClient(context.Http, berth.BaseUri), Repository, tags);
        var (peer, missing) = await Peers.StartDistributionAsync(context, "registry-manifests");
        await using var peerScope = peer;
        SmallImage? peerImage = null;
        if (peer is not null)
        {
            peerImage = await SmallImage.PushAsync(new RegistryClient(context.Http, peer.BaseUri), Repository, tags);
        }

        var accept = new Dictionary<string, string> { ["Accept"] = SmallImage.MediaType };
        (string Path, Dictionary<string, string>? Headers, Func<SmallImage, byte[], bool> Valid)[] targets =
        [
            ($"/v2/{Repository}/manifests/t000", accept, (image, body) => body.AsSpan().SequenceEqual(image.Manifest)),
            ($"/v2/{Repository}/manifests/{{digest}}", accept, (image, body) => body.AsSpan().SequenceEqual(image.Manifest)),
            ($"/v2/{Repository}/tags/list", null, (_, body) => System.Text.Encoding.UTF8.GetString(body).Contains("\"t063\"", StringComparison.Ordinal)),
        ];

        for (var w = 0; w < targets.Length; w++)
        {
            var (path, headers, valid) = targets[w];
            var result = await Alternation.RunAsync(
                options.LoadRuns,
                berth.Process.Id,
                _ => LoadAsync(context, berth, berthImage, path, headers, valid, connections),
                _ => peer is null ? Task.FromResult(double.NaN) : LoadAsync(context, peer, peerImage!, path, headers, valid, connections),
                warmUp: true);
            table.Add(BlobWorkloads.Make(workloads[w], result, peer, missing, Group, "req/s"));
        }
    }

    private static async Task<double> LoadAsync(
        BenchContext context, Server server, SmallImage image, string pathTemplate, Dictionary<string, string>? headers, Func<SmallImage, byte[], bool> valid, int connections)
    {
        var path = pathTemplate.Replace("{digest}", image.Digest, StringComparison.Ordinal);
        var (status, body) = await new RegistryClient(context.Http, server.BaseUri).GetAsync(path, headers?.GetValueOrDefault("Accept"));
        if (status != HttpStatusCode.OK || !valid(image, body))
        {
            throw new InvalidOperationException($"GET {server.BaseUri}{path.TrimStart('/')} answered {(int)status} with an unexpected body");
        }

        var result = await Wrk.GetAsync(context, new Uri(server.BaseUri, path), connections, headers);
        return Checked(result, server.BaseUri + path.TrimStart('/'));
    }

    /// <summary>The run's requests per second, or an error when any answer was not a success.</summary>
    public static double Checked(WrkResult result, string target) =>
        result.Clean
            ? result.RequestsPerSecond
            : throw new InvalidOperationException(
                $"wrk against {target}: {result.Non2xx} non-2xx answers, {result.SocketErrors} socket errors in {result.Requests} requests");
}
