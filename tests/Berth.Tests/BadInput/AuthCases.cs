using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Berth.Tests.Support;
using static Berth.Tests.BadInput.BadInputServer;

namespace Berth.Tests.BadInput;

/// <summary>
/// Requests whose credentials are wrong: SigV4 on POST / (ecr-semantics.md §1.3's table) and the registry's Basic
/// token on /v2/ (401 UNAUTHORIZED with a challenge). Each would write if it were accepted.
/// </summary>
public static class AuthCases
{
    private const string Invalid = "InvalidSignatureException";
    private const string Incomplete = "IncompleteSignatureException";
    private const string Missing = "MissingAuthenticationTokenException";
    private const string Body = """{"repositoryName":"never/created"}""";

    public static IEnumerable<BadInputCase> Ecr()
    {
        yield return Signed("sigv4.no-authorization", request => request.Headers.Remove("Authorization"), new(403, Missing));
        yield return Signed("sigv4.bearer-scheme", request => Replace(request, "Bearer abc"), new(403, Missing));
        yield return Signed("sigv4.basic-scheme", request => Replace(request, "Basic " + Convert.ToBase64String("AWS:x"u8)), new(403, Missing));
        yield return Signed("sigv4.signature-changed", request => Replace(request, Auth(request)[..^1] + (Auth(request)[^1] == '0' ? '1' : '0')), new(400, Invalid));
        yield return Signed("sigv4.signature-not-hex", request => Replace(request, Auth(request)[..^64] + new string('z', 64)), new(400, Invalid));
        yield return Signed("sigv4.signature-short", request => Replace(request, Auth(request)[..^2]), new(400, Invalid));
        yield return Signed("sigv4.signature-empty", request => Replace(request, Auth(request)[..^64]), new(400, Incomplete));
        yield return Signed("sigv4.no-signature-part", request => Replace(request, Auth(request)[..Auth(request).IndexOf(", Signature=", StringComparison.Ordinal)]), new(400, Incomplete));
        yield return Signed("sigv4.no-signed-headers-part", request => Replace(request, Auth(request).Replace("SignedHeaders=content-type;host;x-amz-date;x-amz-target, ", string.Empty, StringComparison.Ordinal)), new(400, Incomplete));
        yield return Signed("sigv4.credential-missing-parts", request => Replace(request, Auth(request).Replace("/ecr/aws4_request", string.Empty, StringComparison.Ordinal)), new(400, Incomplete));
        yield return Signed("sigv4.other-algorithm", request => Replace(request, Auth(request).Replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", StringComparison.Ordinal)), new(400, Incomplete));
        yield return Signed("sigv4.unknown-access-key", request => Replace(request, Auth(request).Replace("AKIABADINPUTTESTS001", "AKIANOSUCHKEY0000001", StringComparison.Ordinal)), new(400, "UnrecognizedClientException"));
        yield return Signed("sigv4.wrong-secret", _ => { }, new(400, Invalid), credentials: new("AKIABADINPUTTESTS001", "not-the-secret", Account));
        yield return Signed("sigv4.expired-date", _ => { }, new(400, Invalid, "Signature expired"), now: DateTimeOffset.UtcNow.AddMinutes(-20));
        yield return Signed("sigv4.future-date", _ => { }, new(400, Invalid), now: DateTimeOffset.UtcNow.AddMinutes(20));
        yield return Signed("sigv4.no-date-header", request => request.Headers.Remove("X-Amz-Date"), new(400, Incomplete));
        yield return Signed("sigv4.malformed-date-header", request => SetHeader(request, "X-Amz-Date", "yesterday"), new(400, Incomplete));
        yield return Signed("sigv4.scope-date-differs", request => Replace(request, Auth(request).Replace("/" + DateTimeOffset.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "/", "/20200101/", StringComparison.Ordinal)), new(400, Invalid));
        yield return Signed("sigv4.wrong-service", _ => { }, new(400, Invalid), service: "s3");
        yield return Signed("sigv4.sts-service", _ => { }, new(400, Invalid), service: "sts");
        yield return Signed("sigv4.region-not-a-region", _ => { }, new(400, Invalid), region: "not a region");
        yield return Signed("sigv4.target-not-signed", _ => { }, new(400, Invalid, "X-Amz-Target"), signTarget: false);
        yield return Signed("sigv4.unsigned-payload", request => SetHeader(request, "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"), new(400, Invalid, "UNSIGNED-PAYLOAD"));
        yield return Signed("sigv4.declared-hash-of-other-body", request => SetHeader(request, "X-Amz-Content-Sha256", Convert.ToHexStringLower(SHA256.HashData("{}"u8))), new(400, Invalid));
        yield return Signed("sigv4.body-changed-after-signing", request => SetBody(request, """{"repositoryName":"other/created"}"""), new(400, Invalid));
        yield return Signed("sigv4.target-changed-after-signing", request => SetHeader(request, "X-Amz-Target", EcrClient.TargetPrefix + "DeleteRepository"), new(400, Invalid));
        yield return Signed("sigv4.content-type-changed-after-signing", request => request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json"), new(400, Invalid));
        yield return Signed("sigv4.host-not-signed", request => Replace(request, Auth(request).Replace("content-type;host;x-amz-date", "content-type;x-amz-date", StringComparison.Ordinal)), new(400, Invalid));
    }

    public static IEnumerable<BadInputCase> Oci()
    {
        var unauthorized = new Expected(401, "UNAUTHORIZED");
        foreach (var (label, header) in new (string, Func<BadInputServer, string?>)[]
        {
            ("none", _ => null),
            ("bearer-with-the-token", s => "Bearer " + s.Token),
            ("basic-not-base64", _ => "Basic %%%not-base64%%%"),
            ("basic-empty", _ => "Basic "),
            ("basic-no-colon", _ => "Basic " + Base64("AWS")),
            ("basic-other-user", s => "Basic " + Base64("root:" + Password(s))),
            ("basic-garbage-password", _ => "Basic " + Base64("AWS:eyJnYXJiYWdlIjp0cnVlfQ")),
            ("basic-password-changed", s => "Basic " + Base64("AWS:" + Flip(Password(s)))),
            ("basic-secret-key-as-password", s => "Basic " + Base64("AWS:" + s.Credentials.SecretAccessKey)),
            ("basic-truncated-password", s => "Basic " + Base64("AWS:" + Password(s)[..^4])),
            ("digest-scheme", _ => "Digest username=\"AWS\""),
            ("sigv4-on-v2", _ => "AWS4-HMAC-SHA256 Credential=AKIABADINPUTTESTS001/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=00"),
        })
        {
            yield return new BadInputCase("v2-auth." + label, server => ManifestPut(server, header(server)), unauthorized);
        }

        yield return new BadInputCase("v2-auth.tags-list-without-credentials", server => new HttpRequestMessage(HttpMethod.Get, server.Url($"/v2/{Repository}/tags/list")), unauthorized);
        yield return new BadInputCase("v2-auth.blob-url-bad-signature", server => new HttpRequestMessage(HttpMethod.Get, server.Url($"/v2/{Repository}/blobs/{server.Seed.Layer.Digest}?X-Berth-Account={Account}&X-Berth-Region={Region}&X-Berth-Expires=4102444800&X-Berth-Signature=abcd")), unauthorized);
        yield return new BadInputCase("v2-auth.blob-url-expiry-past-year-9999", server => new HttpRequestMessage(HttpMethod.Get, server.Url($"/v2/{Repository}/blobs/{server.Seed.Layer.Digest}?X-Berth-Account={Account}&X-Berth-Region={Region}&X-Berth-Expires=999999999999999999&X-Berth-Signature=abcd")), unauthorized);
    }

    private static BadInputCase Signed(
        string name,
        Action<HttpRequestMessage> tamper,
        Expected expected,
        SigV4Credentials? credentials = null,
        DateTimeOffset? now = null,
        string service = "ecr",
        string region = Region,
        bool signTarget = true) => new(name, server =>
        {
            var body = Encoding.UTF8.GetBytes(Body);
            var request = new HttpRequestMessage(HttpMethod.Post, server.Url("/")) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", EcrClient.TargetPrefix + "CreateRepository");
            SigV4Signer.Sign(request, body, credentials ?? server.Credentials, region, now ?? DateTimeOffset.UtcNow, service, signTarget);
            tamper(request);
            return request;
        }, expected);

    private static string Auth(HttpRequestMessage request) => request.Headers.GetValues("Authorization").Single();

    private static void Replace(HttpRequestMessage request, string authorization) => SetHeader(request, "Authorization", authorization);

    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }

    private static void SetBody(HttpRequestMessage request, string json)
    {
        var type = request.Content!.Headers.ContentType;
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        request.Content.Headers.ContentType = type;
    }

    private static HttpRequestMessage ManifestPut(BadInputServer server, string? authorization)
    {
        var content = new StringContent(server.Seed.Manifest, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        var request = new HttpRequestMessage(HttpMethod.Put, server.Url($"/v2/{Repository}/manifests/never-pushed")) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    private static string Password(BadInputServer server) => Encoding.UTF8.GetString(Convert.FromBase64String(server.Token))["AWS:".Length..];

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Flip(string text)
    {
        var middle = text.Length / 2;
        return text[..middle] + (text[middle] == 'A' ? 'B' : 'A') + text[(middle + 1)..];
    }
}
