using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Domain;

namespace Berth.Tests.Support;

/// <summary>
/// A small /v2/ client for in-process tests: raw requests for asserting the wire, and push helpers that
/// assert success so tests about something else stay short.
/// </summary>
public sealed class OciClient(HttpClient http, string? authorization = null)
{
    public HttpClient Http => http;

    /// <summary>The same server with an <c>Authorization</c> header on every request (e.g. <c>Basic &lt;token&gt;</c>).</summary>
    public OciClient WithAuthorization(string? header) => new(http, header);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string uri, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string uri, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Get, uri, null, headers);

    public Task<HttpResponseMessage> HeadAsync(string uri) => SendAsync(HttpMethod.Head, uri);

    public Task<HttpResponseMessage> DeleteAsync(string uri) => SendAsync(HttpMethod.Delete, uri);

    public Task<HttpResponseMessage> PostAsync(string uri, byte[]? body = null) =>
        SendAsync(HttpMethod.Post, uri, body is null ? null : Octets(body));

    public Task<HttpResponseMessage> PutAsync(string uri, byte[]? body = null) =>
        SendAsync(HttpMethod.Put, uri, body is null ? null : Octets(body));

    /// <summary>PATCH with an explicit <c>Content-Range</c> (OCI chunked upload), or streamed when <paramref name="range"/> is null.</summary>
    public Task<HttpResponseMessage> PatchAsync(string uri, byte[] body, string? range = null) => range is null
        ? SendAsync(HttpMethod.Patch, uri, Octets(body))
        : SendAsync(HttpMethod.Patch, uri, Octets(body), ("Content-Range", range));

    /// <summary>Monolithic upload: POST ?digest= with the bytes; asserts 201.</summary>
    public async Task<ContentRef> PushBlobAsync(string repository, byte[] bytes, string mediaType = TestManifests.OciLayer)
    {
        var digest = Digest.Compute(bytes);
        using var response = await PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", bytes);
        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        return new ContentRef(digest, bytes.Length, mediaType);
    }

    public Task<ContentRef> PushBlobAsync(string repository, string text, string mediaType = TestManifests.OciLayer) =>
        PushBlobAsync(repository, Encoding.UTF8.GetBytes(text), mediaType);

    /// <summary>PUT of manifest bytes under a tag or digest; <paramref name="mediaType"/> null sends no Content-Type.</summary>
    public Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, byte[] bytes, string? mediaType)
    {
        var content = new ByteArrayContent(bytes);
        if (mediaType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        }

        return SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{reference}", content);
    }

    public Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, string json, string? mediaType) =>
        PutManifestAsync(repository, reference, Encoding.UTF8.GetBytes(json), mediaType);

    /// <summary>Pushes a manifest and asserts 201; returns it as a descriptor would name it.</summary>
    public async Task<ContentRef> PushManifestAsync(string repository, string reference, string json, string mediaType)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var response = await PutManifestAsync(repository, reference, bytes, mediaType);
        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        var manifest = new ContentRef(Digest.Compute(bytes), bytes.Length, mediaType);
        Assert.Equal(manifest.Digest.ToString(), response.Headers.GetValues("Docker-Content-Digest").Single());
        return manifest;
    }

    /// <summary>Pushes a config, a layer (both derived from <paramref name="seed"/>) and an OCI manifest naming them.</summary>
    public async Task<ContentRef> PushImageAsync(string repository, string reference, string seed)
    {
        var config = await PushBlobAsync(repository, $$"""{"seed":"{{seed}}"}""", TestManifests.OciConfig);
        var layer = await PushBlobAsync(repository, "layer of " + seed);
        return await PushManifestAsync(repository, reference, TestManifests.Oci(config, [layer]), TestManifests.OciManifest);
    }

    /// <summary>POST to start a session; asserts 202 and returns its Location.</summary>
    public async Task<string> StartUploadAsync(string repository)
    {
        using var response = await PostAsync($"/v2/{repository}/blobs/uploads/");
        await OciAssert.StatusAsync(response, HttpStatusCode.Accepted);
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>Adds a query parameter to a Location that may already carry a query.</summary>
    public static string WithQuery(string location, string name, string value) =>
        location + (location.Contains('?', StringComparison.Ordinal) ? '&' : '?') + name + "=" + Uri.EscapeDataString(value);

    private static ByteArrayContent Octets(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}

/// <summary>Assertions on /v2/ responses.</summary>
public static class OciAssert
{
    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task StatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>Asserts an OCI error: status, JSON content type and the body <c>{"errors":[{"code":..,"message":..}]}</c>; returns the message.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        await StatusAsync(response, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var errors = root.GetProperty("errors");
        Assert.Equal(1, errors.GetArrayLength());
        var error = errors[0];
        Assert.Equal(code, error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrEmpty(message));
        return message;
    }

    /// <summary>The single value of a response header (content headers included).</summary>
    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values)
        : throw new Xunit.Sdk.XunitException($"no {name} header in the {(int)response.StatusCode} response");

    public static bool HasHeader(HttpResponseMessage response, string name) =>
        response.Headers.Contains(name) || response.Content.Headers.Contains(name);
}
