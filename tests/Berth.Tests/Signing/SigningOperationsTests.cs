using System.Text.Json;
using Berth.Background;
using Berth.Domain;
using Berth.Domain.Signing;
using Berth.Tests.EndToEnd;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.Tests.Signing;

/// <summary>
/// Put/Get/DeleteSigningConfiguration and DescribeImageSigningStatus over the wire, with the background signer held
/// back so each state can be seen: a matching push is IN_PROGRESS until the signer runs, then COMPLETE with a Notary
/// Project signature among the image's referrers; a deleted profile makes it FAILED.
/// </summary>
public sealed class SigningOperationsTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private const string Region = "us-east-1";

    private static readonly RegistryScope Registry = new(Account, Region);

    private BerthHost _host = null!;
    private string _profileArn = null!;

    private EcrClient Ecr => _host.Ecr();

    private OciClient Oci => new(_host.Client);

    private SigningService Signing => _host.Services.GetRequiredService<SigningService>();

    private ImageSigner Signer => _host.Services.GetRequiredService<ImageSigner>();

    public async Task InitializeAsync()
    {
        // Without the job, signing happens only when a test runs the signer, so IN_PROGRESS is observable.
        _host = await BerthHost.StartAsync(configureServices: services =>
            services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(SignOnPushJob))));
        _profileArn = (await Signing.CreateProfileAsync(Registry, "release_signer", SigningKeyAlgorithm.EcdsaP256, 30, CancellationToken.None)).Value.Arn;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_configuration_is_put_got_and_deleted_and_then_is_not_found()
    {
        await Ecr.FailsAsync("GetSigningConfiguration", "{}", "SigningConfigurationNotFoundException");
        await Ecr.FailsAsync("DeleteSigningConfiguration", "{}", "SigningConfigurationNotFoundException");

        var put = await Ecr.OkAsync("PutSigningConfiguration", Configuration(_profileArn, "prod/*", "release"));
        var rule = Assert.Single(put.GetProperty("signingConfiguration").GetProperty("rules").EnumerateArray());
        Assert.Equal(_profileArn, rule.GetProperty("signingProfileArn").GetString());
        Assert.Equal(["prod/*", "release"], rule.GetProperty("repositoryFilters").EnumerateArray().Select(f => f.GetProperty("filter").GetString()));

        var got = await Ecr.OkAsync("GetSigningConfiguration");
        Assert.Equal(Account, got.GetProperty("registryId").GetString());
        Assert.Equal(_profileArn, got.GetProperty("signingConfiguration").GetProperty("rules")[0].GetProperty("signingProfileArn").GetString());

        var deleted = await Ecr.OkAsync("DeleteSigningConfiguration");
        Assert.Equal(Account, deleted.GetProperty("registryId").GetString());
        Assert.Equal("WILDCARD_MATCH", deleted.GetProperty("signingConfiguration").GetProperty("rules")[0].GetProperty("repositoryFilters")[0].GetProperty("filterType").GetString());
        var message = await Ecr.FailsAsync("GetSigningConfiguration", "{}", "SigningConfigurationNotFoundException");
        Assert.Contains(Account, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_that_does_not_exist_or_belongs_to_another_registry_is_refused()
    {
        var missing = $"arn:aws:signer:{Region}:{Account}:/signing-profiles/nobody";
        var message = await Ecr.FailsAsync("PutSigningConfiguration", Configuration(missing), "InvalidParameterException");
        Assert.StartsWith("Invalid parameter at 'signingProfileArn' failed to satisfy constraint: ", message, StringComparison.Ordinal);
        Assert.Contains(missing, message, StringComparison.Ordinal);

        await Ecr.FailsAsync("PutSigningConfiguration", Configuration($"arn:aws:signer:{Region}:210987654321:/signing-profiles/release_signer"), "InvalidParameterException");
        await Ecr.FailsAsync("PutSigningConfiguration", Configuration($"arn:aws:signer:eu-west-1:{Account}:/signing-profiles/release_signer"), "InvalidParameterException");
        await Ecr.FailsAsync("GetSigningConfiguration", "{}", "SigningConfigurationNotFoundException");
    }

    [Fact]
    public async Task The_models_limits_and_patterns_are_enforced()
    {
        var eleven = string.Join(',', Enumerable.Repeat($$"""{"signingProfileArn":"{{_profileArn}}"}""", 11));
        await Ecr.FailsAsync("PutSigningConfiguration", "{\"signingConfiguration\":{\"rules\":[" + eleven + "]}}", "InvalidParameterException");
        await Ecr.FailsAsync("PutSigningConfiguration", Configuration("arn:aws:kms:us-east-1:123456789012:key/x"), "InvalidParameterException");
        await Ecr.FailsAsync("PutSigningConfiguration", Configuration(_profileArn, "UPPER"), "InvalidParameterException");
        await Ecr.FailsAsync(
            "PutSigningConfiguration",
            Rules($$"""{"signingProfileArn":"{{_profileArn}}","repositoryFilters":[{"filter":"a","filterType":"PREFIX_MATCH"}]}"""), "InvalidParameterException");
        await Ecr.FailsAsync(
            "PutSigningConfiguration",
            Rules($$"""{"signingProfileArn":"{{_profileArn}}","repositoryFilters":[]}"""), "InvalidParameterException");
        await Ecr.FailsAsync("GetSigningConfiguration", "{}", "SigningConfigurationNotFoundException");

        // No rules at all is a configuration the model allows: nothing is signed.
        Assert.Equal(0, (await Ecr.OkAsync("PutSigningConfiguration", """{"signingConfiguration":{"rules":[]}}""")).GetProperty("signingConfiguration").GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public async Task A_matching_push_is_in_progress_until_signed_then_complete_with_a_notary_signature_as_its_referrer()
    {
        await Ecr.OkAsync("PutSigningConfiguration", Configuration(_profileArn, "prod/*"));
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"prod/api"}""");
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"dev/api"}""");
        var image = await Oci.PushImageAsync("prod/api", "v1", "signed");
        var unmatched = await Oci.PushImageAsync("dev/api", "v1", "unsigned");

        var pending = Assert.Single(await StatusesAsync("prod/api", image.Digest));
        Assert.Equal("IN_PROGRESS", pending.GetProperty("status").GetString());
        Assert.Equal(_profileArn, pending.GetProperty("signingProfileArn").GetString());
        Assert.Empty(await StatusesAsync("dev/api", unmatched.Digest));

        Assert.Equal(1, await Signer.RunAsync(CancellationToken.None));

        var done = Assert.Single(await StatusesAsync("prod/api", image.Digest, "v1"));
        Assert.Equal("COMPLETE", done.GetProperty("status").GetString());
        Assert.False(done.TryGetProperty("failureCode", out _));
        var signature = await SignatureAsync("prod/api", image.Digest);
        Assert.Equal(NotarySignature.ArtifactType, signature.Manifest.GetProperty("artifactType").GetString());
        Assert.Equal(image.Digest.ToString(), signature.Manifest.GetProperty("subject").GetProperty("digest").GetString());
        Assert.Equal(NotarySignature.EnvelopeMediaType, signature.Manifest.GetProperty("layers")[0].GetProperty("mediaType").GetString());
        var thumbprints = JsonDocument.Parse(signature.Manifest.GetProperty("annotations").GetProperty(NotarySignature.ThumbprintAnnotation).GetString()!).RootElement;
        Assert.Equal(2, thumbprints.GetArrayLength());

        // The signature itself is not signed, and nothing is left to do.
        Assert.Empty(await StatusesAsync("prod/api", signature.Digest));
        Assert.Equal(0, await Signer.RunAsync(CancellationToken.None));
        Assert.Empty((await ReferrersAsync("dev/api", unmatched.Digest)).EnumerateArray());
    }

    [Fact]
    public async Task A_push_through_PutImage_is_queued_too_and_a_deleted_profile_makes_it_fail()
    {
        await Ecr.OkAsync("PutSigningConfiguration", Configuration(_profileArn));
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"team/app"}""");
        var config = await Oci.PushBlobAsync("team/app", """{"seed":"put-image"}""", TestManifests.OciConfig);
        var layer = await Oci.PushBlobAsync("team/app", "layer of put-image");
        var manifest = TestManifests.Oci(config, [layer]);
        var put = await Ecr.OkAsync("PutImage", JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["repositoryName"] = "team/app",
            ["imageManifest"] = manifest,
            ["imageTag"] = "v2",
        }));
        var digest = Digest.Parse(put.GetProperty("image").GetProperty("imageId").GetProperty("imageDigest").GetString()!);
        Assert.Equal("IN_PROGRESS", Assert.Single(await StatusesAsync("team/app", digest)).GetProperty("status").GetString());

        Assert.True(await Signing.DeleteProfileAsync(Registry, "release_signer", CancellationToken.None));
        await Signer.RunAsync(CancellationToken.None);

        var failed = Assert.Single(await StatusesAsync("team/app", digest));
        Assert.Equal("FAILED", failed.GetProperty("status").GetString());
        Assert.Equal("SigningProfileNotFound", failed.GetProperty("failureCode").GetString());
        Assert.Contains(_profileArn, failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Empty((await ReferrersAsync("team/app", digest)).EnumerateArray());
    }

    [Fact]
    public async Task DescribeImageSigningStatus_answers_ECRs_errors_for_a_missing_repository_or_image()
    {
        await Ecr.FailsAsync("DescribeImageSigningStatus", """{"repositoryName":"absent","imageId":{"imageTag":"v1"}}""", "RepositoryNotFoundException");
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"present"}""");
        await Ecr.FailsAsync("DescribeImageSigningStatus", """{"repositoryName":"present","imageId":{"imageTag":"v1"}}""", "ImageNotFoundException");
    }

    [E2EFact(Tools.PythonCryptography)]
    public async Task The_signature_verifies_independently_and_not_for_another_manifest_or_with_altered_signature_bytes()
    {
        var rsaArn = (await Signing.CreateProfileAsync(Registry, "rsa_signer", SigningKeyAlgorithm.Rsa3072, 30, CancellationToken.None)).Value.Arn;
        await Ecr.OkAsync("PutSigningConfiguration", Rules($$"""{"signingProfileArn":"{{_profileArn}}"},{"signingProfileArn":"{{rsaArn}}"}"""));
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"verified"}""");
        var image = await Oci.PushImageAsync("verified", "v1", "verified");
        var other = await Oci.PushImageAsync("verified", "v2", "another image");
        await Signer.RunAsync(CancellationToken.None);

        var statuses = await StatusesAsync("verified", image.Digest);
        Assert.Equal(2, statuses.Count);
        Assert.All(statuses, s => Assert.Equal("COMPLETE", s.GetProperty("status").GetString()));
        var referrers = (await ReferrersAsync("verified", image.Digest)).EnumerateArray().ToList();
        Assert.Equal(2, referrers.Count);

        using var files = new TempDirectory();
        var manifestFile = await SaveAsync(files, "manifest.json", await BytesAsync($"/v2/verified/manifests/{image.Digest}"));
        var otherFile = await SaveAsync(files, "other.json", await BytesAsync($"/v2/verified/manifests/{other.Digest}"));
        foreach (var (name, arn) in new[] { ("release_signer", _profileArn), ("rsa_signer", rsaArn) })
        {
            var profile = (await Signing.GetProfileAsync(Registry, name, CancellationToken.None))!;
            var root = await SaveAsync(files, name + ".pem", System.Text.Encoding.ASCII.GetBytes(SigningProfileIssuer.RootPem(profile)));
            var envelopeBytes = await EnvelopeAsync("verified", referrers, profile);
            var envelope = await SaveAsync(files, name + ".jws", envelopeBytes);

            var verified = Verify(envelope, root, manifestFile);
            Assert.True(verified.ExitCode == 0, $"{arn}: {verified}");
            Assert.Contains("verified", verified.StandardOutput, StringComparison.Ordinal);

            var anotherManifest = Verify(envelope, root, otherFile);
            Assert.NotEqual(0, anotherManifest.ExitCode);
            Assert.Contains("another manifest", anotherManifest.StandardError, StringComparison.Ordinal);

            var tampered = await SaveAsync(files, name + "-tampered.jws", TamperSignature(envelopeBytes));
            var altered = Verify(tampered, root, manifestFile);
            Assert.NotEqual(0, altered.ExitCode);
            Assert.Contains("InvalidSignature", altered.StandardError, StringComparison.Ordinal);
        }
    }

    internal static string Configuration(string arn, params string[] filters) => JsonSerializer.Serialize(new
    {
        signingConfiguration = new
        {
            rules = new[]
            {
                filters.Length == 0
                    ? (object)new { signingProfileArn = arn }
                    : new { signingProfileArn = arn, repositoryFilters = filters.Select(f => new { filter = f, filterType = "WILDCARD_MATCH" }).ToArray() },
            },
        },
    });

    /// <summary>A PutSigningConfiguration body around rules given as JSON text.</summary>
    private static string Rules(string rules) => "{\"signingConfiguration\":{\"rules\":[" + rules + "]}}";

    internal static ProcessResult Verify(string envelope, string root, string manifest) =>
        Tools.Run("python3", [Path.Combine(AppContext.BaseDirectory, "Fixtures", "notary_verify.py"), envelope, root, manifest, TestManifests.OciManifest], null, TimeSpan.FromSeconds(60));

    /// <summary>The envelope with one bit of its signature flipped (a character of the base64url text changed).</summary>
    internal static byte[] TamperSignature(byte[] envelope)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(envelope)!;
        var signature = node["signature"]!.GetValue<string>().ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        node["signature"] = new string(signature);
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private async Task<List<JsonElement>> StatusesAsync(string repository, Digest digest, string? tag = null)
    {
        object id = tag is null ? new { imageDigest = digest.ToString() } : new { imageTag = tag };
        var answer = await Ecr.OkAsync("DescribeImageSigningStatus", JsonSerializer.Serialize(new { repositoryName = repository, imageId = id }));
        Assert.Equal(repository, answer.GetProperty("repositoryName").GetString());
        Assert.Equal(digest.ToString(), answer.GetProperty("imageId").GetProperty("imageDigest").GetString());
        return answer.GetProperty("signingStatuses").EnumerateArray().ToList();
    }

    private async Task<JsonElement> ReferrersAsync(string repository, Digest digest)
    {
        using var response = await Oci.GetAsync($"/v2/{repository}/referrers/{digest}");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("manifests").Clone();
    }

    private async Task<(Digest Digest, JsonElement Manifest)> SignatureAsync(string repository, Digest subject)
    {
        var referrer = Assert.Single((await ReferrersAsync(repository, subject)).EnumerateArray());
        Assert.Equal(NotarySignature.ArtifactType, referrer.GetProperty("artifactType").GetString());
        var digest = Digest.Parse(referrer.GetProperty("digest").GetString()!);
        return (digest, JsonDocument.Parse(await BytesAsync($"/v2/{repository}/manifests/{digest}")).RootElement.Clone());
    }

    /// <summary>The envelope of the referrer whose chain is <paramref name="profile"/>'s.</summary>
    private async Task<byte[]> EnvelopeAsync(string repository, List<JsonElement> referrers, SigningProfile profile)
    {
        var thumbprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(profile.CertificateChain[0]));
        foreach (var referrer in referrers)
        {
            var manifest = JsonDocument.Parse(await BytesAsync($"/v2/{repository}/manifests/{referrer.GetProperty("digest").GetString()}")).RootElement;
            if (manifest.GetProperty("annotations").GetProperty(NotarySignature.ThumbprintAnnotation).GetString()!.Contains(thumbprint, StringComparison.Ordinal))
            {
                return await BytesAsync($"/v2/{repository}/blobs/{manifest.GetProperty("layers")[0].GetProperty("digest").GetString()}");
            }
        }

        throw new Xunit.Sdk.XunitException($"no signature by {profile.Arn}");
    }

    private async Task<byte[]> BytesAsync(string uri)
    {
        using var response = await Oci.GetAsync(uri, ("Accept", TestManifests.OciManifest));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<string> SaveAsync(TempDirectory directory, string name, byte[] bytes)
    {
        var path = Path.Combine(directory.Path, name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
