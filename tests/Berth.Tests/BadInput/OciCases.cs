using System.Net.Http.Headers;
using System.Text;
using static Berth.Tests.BadInput.BadInputServer;

namespace Berth.Tests.BadInput;

/// <summary>
/// Malformed /v2/ requests with good credentials: names, references, digests, ranges, upload sessions, manifests,
/// query parameters and methods. Expected codes and statuses follow oci-distribution.md §7 and Berth's OciErrorCode.
/// </summary>
public static class OciCases
{
    private const string ZeroDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";
    private const string Base = "/v2/" + Repository;

    public static IEnumerable<BadInputCase> All() => Names().Concat(References()).Concat(Ranges()).Concat(Uploads()).Concat(Manifests()).Concat(Queries()).Concat(Methods()).Concat(Framing());

    private static BadInputCase Send(string name, HttpMethod method, Func<BadInputServer, string> path, Expected expected, Func<BadInputServer, HttpContent?>? content = null, params (string Name, string Value)[] headers) =>
        new(name, server =>
        {
            var request = server.OciRequest(method, path(server), content?.Invoke(server));
            foreach (var (header, value) in headers)
            {
                if (!request.Headers.TryAddWithoutValidation(header, value))
                {
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.Remove(header);
                    request.Content.Headers.TryAddWithoutValidation(header, value);
                }
            }

            return request;
        }, expected);

    private static BadInputCase Get(string name, string path, Expected expected, params (string Name, string Value)[] headers) =>
        Send(name, HttpMethod.Get, _ => path, expected, null, headers);

    private static Expected Error(int status, string code) => new(status, code);

    private static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static ByteArrayContent Manifest(string text, string? mediaType = OciManifest) => Manifest(Encoding.UTF8.GetBytes(text), mediaType);

    private static ByteArrayContent Manifest(byte[] bytes, string? mediaType)
    {
        var content = new ByteArrayContent(bytes);
        if (mediaType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        }

        return content;
    }

    private static IEnumerable<BadInputCase> Names()
    {
        var nameInvalid = Error(400, "NAME_INVALID");
        foreach (var (label, name) in new[]
        {
            ("uppercase", "Seed/App"), ("leading-dash", "-seed"), ("trailing-dash", "seed-"), ("double-dot", "seed..app"),
            ("empty-component", "seed//app"), ("trailing-slash", "seed/app/"), ("space", "seed%20app"), ("single-char", "a"),
            ("too-long", new string('a', 257)), ("unicode", "s%C3%A9ed"), ("encoded-slash", "seed%2Fapp"), ("underscore-triple", "seed___app"),
        })
        {
            yield return Get($"name.{label}", $"/v2/{name}/tags/list", nameInvalid);
        }

        yield return Get("name.invalid-on-manifest-get", "/v2/Bad_Name/manifests/v1", nameInvalid);
        yield return Send("name.invalid-on-upload", HttpMethod.Post, _ => "/v2/Bad_Name/blobs/uploads/", nameInvalid);
        yield return Get("name.unknown-tags", "/v2/no/such/repo/tags/list", Error(404, "NAME_UNKNOWN"));
        yield return Get("name.unknown-manifest", "/v2/no/such/repo/manifests/v1", Error(404, "NAME_UNKNOWN"));
        yield return Get("name.unknown-blob", $"/v2/no/such/repo/blobs/{ZeroDigest}", Error(404, "NAME_UNKNOWN"));
        yield return Send("name.unknown-upload-start", HttpMethod.Post, _ => "/v2/no/such/repo/blobs/uploads/", Error(404, "NAME_UNKNOWN"));
        yield return Send("name.unknown-manifest-put", HttpMethod.Put, _ => "/v2/no/such/repo/manifests/v1", Error(404, "NAME_UNKNOWN"), s => Manifest(s.Seed.Manifest));
    }

    private static IEnumerable<BadInputCase> References()
    {
        var digestInvalid = Error(400, "DIGEST_INVALID");
        yield return Get("reference.tag-with-bang", $"{Base}/manifests/bad!tag", Error(404, "MANIFEST_UNKNOWN"));
        yield return Get("reference.tag-too-long", $"{Base}/manifests/{new string('t', 129)}", Error(404, "MANIFEST_UNKNOWN"));
        yield return Get("reference.tag-leading-dot", $"{Base}/manifests/.hidden", Error(404, "MANIFEST_UNKNOWN"));
        yield return Get("reference.unknown-tag", $"{Base}/manifests/never-pushed", Error(404, "MANIFEST_UNKNOWN"));
        yield return Get("reference.unknown-digest", $"{Base}/manifests/{ZeroDigest}", Error(404, "MANIFEST_UNKNOWN"));
        yield return Get("reference.digest-totally-wrong", $"{Base}/manifests/sha256:totallywrong", digestInvalid);
        yield return Get("reference.digest-short", $"{Base}/manifests/sha256:abc", digestInvalid);
        yield return Get("reference.digest-uppercase-hex", $"{Base}/manifests/sha256:{new string('A', 64)}", digestInvalid);
        yield return Get("reference.digest-empty-algorithm", $"{Base}/manifests/:{new string('a', 64)}", digestInvalid);
        yield return Get("reference.digest-empty-hex", $"{Base}/manifests/sha256:", digestInvalid);
        yield return Send("reference.put-invalid-tag", HttpMethod.Put, _ => $"{Base}/manifests/bad!tag", Error(400, "TAG_INVALID"), s => Manifest(s.Seed.Manifest));
        yield return Send("reference.put-digest-mismatch", HttpMethod.Put, _ => $"{Base}/manifests/{ZeroDigest}", digestInvalid, s => Manifest(s.Seed.Manifest));
        yield return Send("reference.put-malformed-digest", HttpMethod.Put, _ => $"{Base}/manifests/sha256:xyz", digestInvalid, s => Manifest(s.Seed.Manifest));
        yield return Send("reference.delete-unknown-tag", HttpMethod.Delete, _ => $"{Base}/manifests/never-pushed", Error(404, "MANIFEST_UNKNOWN"));
        yield return Send("reference.delete-unknown-digest", HttpMethod.Delete, _ => $"{Base}/manifests/{ZeroDigest}", Error(404, "MANIFEST_UNKNOWN"));
        yield return Send("reference.delete-malformed-digest", HttpMethod.Delete, _ => $"{Base}/manifests/sha256:xyz", digestInvalid);
        yield return Get("blob.malformed-digest", $"{Base}/blobs/not-a-digest", digestInvalid);
        yield return Get("blob.short-digest", $"{Base}/blobs/sha256:abc", digestInvalid);
        yield return Get("blob.unknown-digest", $"{Base}/blobs/{ZeroDigest}", Error(404, "BLOB_UNKNOWN"));
        yield return Send("blob.head-unknown", HttpMethod.Head, _ => $"{Base}/blobs/{ZeroDigest}", new Expected(404));
        yield return Send("blob.head-malformed", HttpMethod.Head, _ => $"{Base}/blobs/sha256:xyz", new Expected(400));
        yield return Send("blob.delete-unknown", HttpMethod.Delete, _ => $"{Base}/blobs/{ZeroDigest}", Error(404, "BLOB_UNKNOWN"));
        yield return Send("blob.delete-malformed", HttpMethod.Delete, _ => $"{Base}/blobs/sha256:xyz", digestInvalid);
        yield return Get("blob.other-repository", $"/v2/{EmptyRepository}/blobs/{ZeroDigest}", Error(404, "BLOB_UNKNOWN"));
        yield return Get("referrers.malformed-digest", $"{Base}/referrers/sha256:xyz", digestInvalid);
        yield return Get("referrers.tag-instead-of-digest", $"{Base}/referrers/v1", digestInvalid);
    }

    private static IEnumerable<BadInputCase> Ranges()
    {
        // The seeded layer is 18 bytes ("layer of bad-input").
        static Func<BadInputServer, string> Layer() => s => $"{Base}/blobs/{s.Seed.Layer.Digest}";
        var unsatisfiable = Error(416, "BLOB_UNKNOWN");
        yield return Send("range.past-the-end", HttpMethod.Get, Layer(), unsatisfiable, null, ("Range", "bytes=100-200"));
        yield return Send("range.suffix-of-zero", HttpMethod.Get, Layer(), unsatisfiable, null, ("Range", "bytes=-0"));
        yield return Send("range.start-at-size", HttpMethod.Get, Layer(), unsatisfiable, null, ("Range", "bytes=18-"));

        // RFC 9110: a Range that does not parse is ignored, and the whole blob is the answer.
        yield return Send("range.reversed-is-ignored", HttpMethod.Get, Layer(), new Expected(200), null, ("Range", "bytes=5-2"));
        yield return Send("range.other-unit-is-ignored", HttpMethod.Get, Layer(), new Expected(200), null, ("Range", "items=0-1"));
        yield return Send("range.garbage-is-ignored", HttpMethod.Get, Layer(), new Expected(200), null, ("Range", "bytes=abc"));
        yield return Send("range.overflowing-is-ignored", HttpMethod.Get, Layer(), new Expected(200), null, ("Range", "bytes=99999999999999999999999-"));
    }

    private static IEnumerable<BadInputCase> Uploads()
    {
        var unknown = Error(404, "BLOB_UPLOAD_UNKNOWN");
        var invalid = Error(400, "BLOB_UPLOAD_INVALID");
        var uploadUnknown = $"{Base}/blobs/uploads/{UnknownId}";
        yield return Send("upload.patch-range-not-at-end", HttpMethod.Patch, s => s.OpenUpload, Error(416, "BLOB_UPLOAD_INVALID"), _ => Octets("xyz"u8.ToArray()), ("Content-Range", "0-2"));
        yield return Send("upload.patch-range-past-end", HttpMethod.Patch, s => s.OpenUpload, Error(416, "BLOB_UPLOAD_INVALID"), _ => Octets("xyz"u8.ToArray()), ("Content-Range", "10-12"));
        yield return Send("upload.patch-range-garbage", HttpMethod.Patch, s => s.OpenUpload, invalid, _ => Octets("xyz"u8.ToArray()), ("Content-Range", "abc"));
        yield return Send("upload.patch-range-reversed", HttpMethod.Patch, s => s.OpenUpload, invalid, _ => Octets("xyz"u8.ToArray()), ("Content-Range", "5-3"));
        yield return Send("upload.patch-range-negative", HttpMethod.Patch, s => s.OpenUpload, invalid, _ => Octets("xyz"u8.ToArray()), ("Content-Range", "-1-1"));
        yield return Send("upload.patch-range-overflow", HttpMethod.Patch, s => s.OpenUpload, invalid, _ => Octets("xyz"u8.ToArray()), ("Content-Range", "3-9223372036854775807"));
        yield return Send("upload.patch-range-huge-number", HttpMethod.Patch, s => s.OpenUpload, invalid, _ => Octets("xyz"u8.ToArray()), ("Content-Range", "3-99999999999999999999"));
        yield return Send("upload.patch-range-longer-than-body", HttpMethod.Patch, s => s.OpenUpload, Error(400, "SIZE_INVALID"), _ => Octets("xyz"u8.ToArray()), ("Content-Range", "3-9"));
        yield return Send("upload.patch-range-shorter-than-body", HttpMethod.Patch, s => s.OpenUpload, Error(400, "SIZE_INVALID"), _ => Octets("xyz"u8.ToArray()), ("Content-Range", "3-3"));
        yield return Send("upload.patch-unknown-session", HttpMethod.Patch, _ => uploadUnknown, unknown, _ => Octets("xyz"u8.ToArray()));
        yield return Send("upload.patch-session-not-a-uuid", HttpMethod.Patch, _ => $"{Base}/blobs/uploads/not-a-uuid", unknown, _ => Octets("xyz"u8.ToArray()));
        yield return Send("upload.patch-finished-session", HttpMethod.Patch, s => s.FinishedUpload, unknown, _ => Octets("xyz"u8.ToArray()));
        yield return Send("upload.patch-session-of-other-repository", HttpMethod.Patch, s => s.OpenUpload.Replace(Repository, EmptyRepository, StringComparison.Ordinal), unknown, _ => Octets("xyz"u8.ToArray()));
        yield return Send("upload.put-finished-session", HttpMethod.Put, s => $"{s.FinishedUpload}?digest={ZeroDigest}", unknown);
        yield return Send("upload.put-unknown-session", HttpMethod.Put, _ => $"{uploadUnknown}?digest={ZeroDigest}", unknown);
        yield return Send("upload.put-without-digest", HttpMethod.Put, s => s.OpenUpload, Error(400, "DIGEST_INVALID"));
        yield return Send("upload.put-malformed-digest", HttpMethod.Put, s => $"{s.OpenUpload}?digest=sha256:xyz", Error(400, "DIGEST_INVALID"));
        yield return Send("upload.put-empty-digest", HttpMethod.Put, s => $"{s.OpenUpload}?digest=", Error(400, "DIGEST_INVALID"));
        yield return Send("upload.status-unknown-session", HttpMethod.Get, _ => uploadUnknown, unknown);
        yield return Send("upload.status-finished-session", HttpMethod.Get, s => s.FinishedUpload, unknown);
        yield return Send("upload.cancel-unknown-session", HttpMethod.Delete, _ => uploadUnknown, unknown);
        yield return Send("upload.cancel-finished-session", HttpMethod.Delete, s => s.FinishedUpload, unknown);
        yield return Send("upload.monolithic-malformed-digest", HttpMethod.Post, _ => $"{Base}/blobs/uploads/?digest=sha256:xyz", Error(400, "DIGEST_INVALID"), _ => Octets("data"u8.ToArray()));
        yield return Send("upload.monolithic-unknown-algorithm", HttpMethod.Post, _ => $"{Base}/blobs/uploads/?digest=md5:{new string('a', 32)}", Error(400, "DIGEST_INVALID"), _ => Octets("data"u8.ToArray()));

        // A refused one-shot push leaves the garbage-collection claim it took on the digest (a size-0 row in blobs) until
        // the next collection: releasing it needs a new IBlobCollectionStore method, left for the storage owners.
        yield return Send("upload.monolithic-digest-mismatch", HttpMethod.Post, _ => $"{Base}/blobs/uploads/?digest={ZeroDigest}", Error(400, "DIGEST_INVALID"), _ => Octets("data"u8.ToArray())) with { MayChangeData = true };
        yield return Send("upload.monolithic-empty-body-wrong-digest", HttpMethod.Post, _ => $"{Base}/blobs/uploads/?digest={ZeroDigest}", Error(400, "DIGEST_INVALID"), _ => Octets([])) with { MayChangeData = true };
    }

    private static IEnumerable<BadInputCase> Manifests()
    {
        var invalid = Error(400, "MANIFEST_INVALID");
        var tag = $"{Base}/manifests/never-pushed";
        BadInputCase Put(string name, Expected expected, Func<BadInputServer, HttpContent> content) => Send(name, HttpMethod.Put, _ => tag, expected, content);

        yield return Put("manifest.not-json", invalid, _ => Manifest("this is not json"));
        yield return Put("manifest.empty-body", invalid, _ => Manifest(string.Empty));
        yield return Put("manifest.json-array", invalid, _ => Manifest("[]"));
        yield return Put("manifest.json-string", invalid, _ => Manifest("\"manifest\""));
        yield return Put("manifest.truncated", invalid, s => Manifest(s.Seed.Manifest[..^5]));
        yield return Put("manifest.invalid-utf8", invalid, _ => Manifest(Encoding.Latin1.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\xFF\"}"), OciManifest));
        yield return Put("manifest.deep-nesting", invalid, _ => Manifest("{\"schemaVersion\":2,\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}"));
        yield return Put("manifest.schema-version-3", invalid, s => Manifest(s.Seed.Manifest.Replace("\"schemaVersion\":2", "\"schemaVersion\":3", StringComparison.Ordinal)));
        yield return Put("manifest.schema-version-string", invalid, s => Manifest(s.Seed.Manifest.Replace("\"schemaVersion\":2", "\"schemaVersion\":\"2\"", StringComparison.Ordinal)));
        yield return Put("manifest.schema-1", invalid, _ => Manifest("""{"schemaVersion":1,"name":"seed/app","tag":"x","fsLayers":[],"history":[]}""", "application/vnd.docker.distribution.manifest.v1+prettyjws"));
        yield return Put("manifest.no-config", invalid, _ => Manifest("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}"""));
        yield return Put("manifest.layers-not-array", invalid, s => Manifest(s.Seed.Manifest.Replace("\"layers\":[", "\"layers\":{\"x\":[", StringComparison.Ordinal).Replace("]}", "]}}", StringComparison.Ordinal)));
        yield return Put("manifest.layer-bad-digest", invalid, s => Manifest(s.Seed.Manifest.Replace(s.Seed.Layer.Digest.ToString(), "sha256:xyz", StringComparison.Ordinal)));
        yield return Put("manifest.layer-negative-size", invalid, s => Manifest(s.Seed.Manifest.Replace($"\"size\":{s.Seed.Layer.Size}", "\"size\":-1", StringComparison.Ordinal)));
        yield return Put("manifest.media-type-contradicts-content-type", invalid, s => Manifest(s.Seed.Manifest, "application/vnd.docker.distribution.manifest.v2+json"));
        yield return Put("manifest.index-content-type-for-manifest", invalid, s => Manifest(s.Seed.Manifest, OciIndex));
        yield return Put("manifest.unknown-layer", Error(400, "MANIFEST_BLOB_UNKNOWN"), s => Manifest(s.Seed.Manifest.Replace(s.Seed.Layer.Digest.ToString(), ZeroDigest, StringComparison.Ordinal)));
        yield return Put("manifest.unknown-config", Error(400, "MANIFEST_BLOB_UNKNOWN"), s => Manifest(s.Seed.Manifest.Replace(s.Seed.Config.Digest.ToString(), ZeroDigest, StringComparison.Ordinal)));
        yield return Put("manifest.index-unknown-child", Error(400, "MANIFEST_UNKNOWN"), _ => Manifest(
            $$"""{"schemaVersion":2,"mediaType":"{{OciIndex}}","manifests":[{"mediaType":"{{OciManifest}}","digest":"{{ZeroDigest}}","size":10}]}""", OciIndex));
        yield return Put("manifest.over-4-MiB", Error(413, "MANIFEST_INVALID"), s => Manifest(s.Seed.Manifest[..^1] + ",\"annotations\":{\"pad\":\"" + new string('p', 4 * 1024 * 1024) + "\"}}"));
        // Legitimate, so they write: the manifest's own mediaType wins over a generic Content-Type, and with neither the
        // type is read from the manifest's shape (oci-distribution.md §4: accept manifests without a mediaType field).
        yield return new BadInputCase("manifest.content-type-is-plain-json", s => s.OciRequest(HttpMethod.Put, $"{Base}/manifests/plain-json", Manifest(s.Seed.Manifest, "application/json")), new Expected(201), MayChangeData: true);
        yield return new BadInputCase("manifest.no-media-type-anywhere", s => s.OciRequest(HttpMethod.Put, $"{Base}/manifests/inferred-type", Manifest(s.Seed.Manifest.Replace("\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",", string.Empty, StringComparison.Ordinal), null)), new Expected(201), MayChangeData: true);
        yield return Send("manifest.blob-of-other-repository", HttpMethod.Put, _ => $"/v2/{EmptyRepository}/manifests/never-pushed", Error(400, "MANIFEST_BLOB_UNKNOWN"), s => Manifest(s.Seed.Manifest));
    }

    private static IEnumerable<BadInputCase> Queries()
    {
        var pagination = Error(400, "PAGINATION_NUMBER_INVALID");
        foreach (var (label, query) in new[] { ("negative", "n=-1"), ("word", "n=ten"), ("fraction", "n=1.5"), ("overflow", "n=99999999999999999999"), ("plus-sign", "n=+5"), ("hex", "n=0x10") })
        {
            yield return Get($"query.tags-n-{label}", $"{Base}/tags/list?{query}", pagination);
            yield return Get($"query.catalog-n-{label}", $"/v2/_catalog?{query}", pagination);
        }

        // Legitimate and read-only: a last past every tag, and a page of nothing.
        yield return Get("query.tags-last-past-the-end", $"{Base}/tags/list?last=zzzz", new Expected(200));
        yield return Get("query.tags-last-garbage", $"{Base}/tags/list?last=%00%FF", new Expected(200));
        yield return Get("query.tags-n-zero", $"{Base}/tags/list?n=0", new Expected(200));
        yield return Get("query.tags-n-empty-is-unset", $"{Base}/tags/list?n=", new Expected(200));
        yield return Get("query.catalog-n-empty-is-unset", "/v2/_catalog?n=", new Expected(200));
        yield return Get("query.referrers-artifact-type-garbage", $"{Base}/referrers/{ZeroDigest}?artifactType=%FF%FE", new Expected(200));
    }

    private static IEnumerable<BadInputCase> Methods()
    {
        var notAllowed = Error(405, "UNSUPPORTED");
        yield return Send("method.post-manifest", HttpMethod.Post, _ => $"{Base}/manifests/{Tag}", notAllowed);
        yield return Send("method.patch-manifest", HttpMethod.Patch, _ => $"{Base}/manifests/{Tag}", notAllowed);
        yield return Send("method.put-blob", HttpMethod.Put, s => $"{Base}/blobs/{s.Seed.Layer.Digest}", notAllowed);
        yield return Send("method.post-blob", HttpMethod.Post, s => $"{Base}/blobs/{s.Seed.Layer.Digest}", notAllowed);
        yield return Send("method.delete-tags-list", HttpMethod.Delete, _ => $"{Base}/tags/list", notAllowed);
        yield return Send("method.put-catalog", HttpMethod.Put, _ => "/v2/_catalog", notAllowed);
        yield return Send("method.post-base", HttpMethod.Post, _ => "/v2/", notAllowed);
        yield return Send("method.delete-base", HttpMethod.Delete, _ => "/v2/", notAllowed);
        yield return Send("method.put-uploads-collection", HttpMethod.Put, _ => $"{Base}/blobs/uploads/", notAllowed);
        yield return Send("method.patch-uploads-collection", HttpMethod.Patch, _ => $"{Base}/blobs/uploads/", notAllowed);
        yield return Send("method.post-referrers", HttpMethod.Post, _ => $"{Base}/referrers/{ZeroDigest}", notAllowed);
        yield return Send("method.options-manifest", HttpMethod.Options, _ => $"{Base}/manifests/{Tag}", notAllowed);
        yield return Send("method.post-upload-session", HttpMethod.Post, s => s.OpenUpload, notAllowed);
        yield return Get("path.unknown-resource", $"{Base}/nothing-here", Error(404, "NOT_FOUND"));
        yield return Get("path.blobs-without-digest", $"{Base}/blobs/", Error(404, "NOT_FOUND"));
        yield return Get("path.manifests-without-reference", $"{Base}/manifests/", Error(404, "NOT_FOUND"));
    }

    /// <summary>Bodies that end before their Content-Length, and chunked bodies whose framing is broken.</summary>
    private static IEnumerable<BadInputCase> Framing()
    {
        // A body shorter than its Content-Length is only ever seen when the client hangs up: nothing may change.
        static BadInputCase Raw(string name, Expected expected, Func<BadInputServer, string> head, string body, bool mayChangeData = false) =>
            new(name, null, expected, mayChangeData) { Raw = s => Encoding.Latin1.GetBytes(head(s) + body), HangsUp = name.Contains("shorter", StringComparison.Ordinal) };

        static string Auth(BadInputServer s) => "Authorization: Basic " + s.Token;

        yield return Raw("framing.patch-body-shorter-than-content-length", Error(400, "SIZE_INVALID"),
            s => RawHttp.Head(s, "PATCH", s.OpenUpload, Auth(s), "Content-Type: application/octet-stream", "Content-Length: 10"), "xyz");
        yield return Raw("framing.patch-range-body-shorter-than-content-length", Error(400, "SIZE_INVALID"),
            s => RawHttp.Head(s, "PATCH", s.OpenUpload, Auth(s), "Content-Type: application/octet-stream", "Content-Range: 3-12", "Content-Length: 10"), "xyz");
        yield return Raw("framing.patch-chunk-size-not-hex", Error(400, "BLOB_UPLOAD_INVALID"),
            s => RawHttp.Head(s, "PATCH", s.OpenUpload, Auth(s), "Content-Type: application/octet-stream", "Transfer-Encoding: chunked"), "zz\r\nxyz\r\n0\r\n\r\n");
        yield return Raw("framing.patch-chunk-size-overflowing", Error(400, "BLOB_UPLOAD_INVALID"),
            s => RawHttp.Head(s, "PATCH", s.OpenUpload, Auth(s), "Content-Type: application/octet-stream", "Transfer-Encoding: chunked"), "FFFFFFFFFFFFFFFFFFFF\r\nxyz\r\n0\r\n\r\n");
        yield return Raw("framing.patch-chunk-cut-short", Error(400, "BLOB_UPLOAD_INVALID"),
            s => RawHttp.Head(s, "PATCH", s.OpenUpload, Auth(s), "Content-Type: application/octet-stream", "Transfer-Encoding: chunked"), "a\r\nxyz");
        yield return Raw("framing.put-upload-body-shorter-than-content-length", Error(400, "SIZE_INVALID"),
            s => RawHttp.Head(s, "PUT", $"{s.OpenUpload}?digest={ZeroDigest}", Auth(s), "Content-Type: application/octet-stream", "Content-Length: 10"), "xyz");
        yield return Raw("framing.manifest-body-shorter-than-content-length", Error(400, "MANIFEST_INVALID"),
            s => RawHttp.Head(s, "PUT", $"{Base}/manifests/never-pushed", Auth(s), $"Content-Type: {OciManifest}", "Content-Length: 500"), "{\"schemaVersion\":2");

        // The one-shot push claims its digest before reading the body (see upload.monolithic-digest-mismatch).
        yield return Raw("framing.monolithic-body-shorter-than-content-length", Error(400, "SIZE_INVALID"),
            s => RawHttp.Head(s, "POST", $"{Base}/blobs/uploads/?digest=sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("aaaaaaaaaa"u8))}", Auth(s), "Content-Type: application/octet-stream", "Content-Length: 10"), "aaa", mayChangeData: true);
    }
}
