using System.Globalization;
using System.Text.Json;
using Berth.Bench.Http;
using Berth.Bench.Load;
using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// ECR API calls with valid SigV4 signatures under 16 connections: the same signed bytes go to Berth (which
/// verifies them against its key) and to moto_server (which accepts any). Both hold the same repository with
/// three resource tags and 100 images, each with its own layer (moto derives an image digest from its layers).
/// </summary>
public static class EcrApiWorkloads
{
    private const string Group = "ECR API (POST /)";
    private const string Repository = "bench/ecr";
    private const int Images = 100;

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        var options = context.Options;
        var connections = options.EcrConnections;
        if (Tools.Missing(context.Tools.Wrk, "wrk", "apt-get install wrk") is { } noWrk)
        {
            table.Add(new Row(Group, "ECR API workloads", "req/s", true) { Note = noWrk });
            return;
        }

        await using var berth = await BerthServer.StartAsync(context, context.NewDir("berth-ecr"), sigV4: true);
        var berthEcr = berth.Ecr(context);
        var berthArn = await Peers.CreateRepositoryAsync(berthEcr, Repository, withTags: true);
        var manifests = await PushLayersAsync(context, berth, berthEcr);
        await PutImagesAsync(berthEcr, manifests);

        var (moto, missing) = await Peers.StartMotoAsync(context, "moto-ecr");
        await using var motoScope = moto;
        EcrClient? motoEcr = null;
        var motoArn = string.Empty;
        if (moto is not null)
        {
            motoEcr = moto.Ecr(context);
            motoArn = await Peers.CreateRepositoryAsync(motoEcr, Repository, withTags: true);
            await PutImagesAsync(motoEcr, manifests);
        }

        (string Operation, string Workload, Func<string, string> Body, Func<JsonElement, bool> Valid)[] calls =
        [
            ("DescribeRepositories", "DescribeRepositories (one repository)", _ => $"{{\"repositoryNames\":[\"{Repository}\"]}}",
                r => r.GetProperty("repositories").GetArrayLength() == 1),
            ("ListTagsForResource", "ListTagsForResource (3 tags)", arn => $"{{\"resourceArn\":{Json.Str(arn)}}}",
                r => r.GetProperty("tags").GetArrayLength() == 3),
            ("DescribeImages", $"DescribeImages (page of {Images})", _ => $"{{\"repositoryName\":\"{Repository}\",\"maxResults\":{Images}}}",
                r => r.GetProperty("imageDetails").GetArrayLength() == Images),
            ("BatchGetImage", "BatchGetImage (one image by tag)",
                _ => $"{{\"repositoryName\":\"{Repository}\",\"imageIds\":[{{\"imageTag\":\"t042\"}}],\"acceptedMediaTypes\":[\"{SmallImage.MediaType}\"]}}",
                r => r.GetProperty("images").GetArrayLength() == 1),
        ];

        foreach (var (operation, workload, body, valid) in calls)
        {
            var label = $"{workload}, {connections} connections";
            try
            {
                var result = await Alternation.RunAsync(
                    options.LoadRuns,
                    berth.Process.Id,
                    _ => LoadAsync(context, berthEcr, operation, body(berthArn), valid, connections),
                    _ => motoEcr is null ? Task.FromResult(double.NaN) : LoadAsync(context, motoEcr, operation, body(motoArn), valid, connections),
                    warmUp: true);
                table.Add(BlobWorkloads.Make(label, result, moto, missing, Group, "req/s", peerName: PeerNames.Moto));
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or EcrCallException)
            {
                table.Add(new Row(Group, label, "req/s", true) { PeerName = PeerNames.Moto, Note = "failed: " + Peers.FirstLine(ex.Message) });
            }
        }
    }

    /// <summary>Pushes one config blob and one small layer per image to Berth's /v2/ (with the registry token) and returns the manifests.</summary>
    private static async Task<List<byte[]>> PushLayersAsync(BenchContext context, BerthServer berth, EcrClient ecr)
    {
        var token = await ecr.CallAsync("GetAuthorizationToken", "{}");
        var authorization = "Basic " + token.GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString();
        var registry = new RegistryClient(context.Http, berth.BaseUri, authorization);
        var config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"u8.ToArray();
        await registry.PushMonolithicAsync(Repository, config);
        var manifests = new List<byte[]>(Images);
        for (var i = 0; i < Images; i++)
        {
            var layer = new byte[1024];
            Random.Shared.NextBytes(layer);
            await registry.PushMonolithicAsync(Repository, layer);
            manifests.Add(SmallImage.Build(RegistryClient.DigestOf(config), config.Length, RegistryClient.DigestOf(layer), layer.Length, null));
        }

        return manifests;
    }

    private static async Task PutImagesAsync(EcrClient ecr, List<byte[]> manifests)
    {
        for (var i = 0; i < manifests.Count; i++)
        {
            var manifest = System.Text.Encoding.UTF8.GetString(manifests[i]);
            var tag = i.ToString("'t'000", CultureInfo.InvariantCulture);
            await ecr.CallAsync("PutImage",
                $"{{\"repositoryName\":\"{Repository}\",\"imageManifest\":{Json.Str(manifest)},\"imageManifestMediaType\":\"{SmallImage.MediaType}\",\"imageTag\":\"{tag}\"}}");
        }
    }

    private static async Task<double> LoadAsync(BenchContext context, EcrClient ecr, string operation, string body, Func<JsonElement, bool> valid, int connections)
    {
        // Signed once, checked once, then replayed by wrk well inside the five minutes a signature is valid.
        var signed = ecr.Sign(operation, body);
        var (status, text) = await ecr.SendAsync(signed, body);
        using (var answer = JsonDocument.Parse(text))
        {
            if (status != 200 || !valid(answer.RootElement))
            {
                throw new InvalidOperationException($"{operation} on {ecr.Endpoint} answered {status}: {text[..Math.Min(text.Length, 300)]}");
            }
        }

        var result = await Wrk.PostSignedAsync(context, ecr.Endpoint, signed, body, connections);
        return ManifestWorkloads.Checked(result, $"{operation} on {ecr.Endpoint}");
    }
}
