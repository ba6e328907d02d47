using System.Text;
using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Runs skopeo against a Berth registry over plain http, isolated from the machine's configuration: its own
/// HOME, auth file and runtime dir, and a policy that accepts any image (the system may have none). With a
/// password, every registry access sends the ECR credentials <c>AWS:&lt;password&gt;</c>.
/// </summary>
public sealed class Skopeo : IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly string? _credentials;
    private readonly string? _httpProxy;

    /// <param name="password">The ECR token to send as <c>AWS:&lt;password&gt;</c>, or none.</param>
    /// <param name="httpProxy">
    /// A proxy for every plain-http request: lets an image name carry a registry host that does not resolve (such as
    /// <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.localhost</c>) while the request goes to the proxy, which may be the
    /// registry itself.
    /// </param>
    public Skopeo(string? password = null, string? httpProxy = null)
    {
        _credentials = password is null ? null : "AWS:" + password;
        _httpProxy = httpProxy;
        File.WriteAllText(PolicyPath, """{"default":[{"type":"insecureAcceptAnything"}]}""");
    }

    private string PolicyPath => Path.Combine(_home.Path, "policy.json");

    /// <summary>A fresh directory for a copy's destination.</summary>
    public string NewDirectory(string name) => Path.Combine(_home.Path, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>skopeo copy with tls verification off on both sides and the credentials, if any, for both.</summary>
    public ProcessResult Copy(string source, string destination, params string[] options)
    {
        List<string> arguments = ["copy", "--src-tls-verify=false", "--dest-tls-verify=false"];
        if (_credentials is not null)
        {
            arguments.AddRange(["--src-creds", _credentials, "--dest-creds", _credentials]);
        }

        return Run([.. arguments, .. options, source, destination]);
    }

    /// <summary>The manifest bytes exactly as the registry serves them (<c>skopeo inspect --raw</c>).</summary>
    public ProcessResult InspectRaw(string image) => Run(WithRegistryOptions("inspect", "--raw", image));

    public ProcessResult ListTags(string repository) => Run(WithRegistryOptions("list-tags", repository));

    public ProcessResult Delete(string image) => Run(WithRegistryOptions("delete", image));

    /// <summary>The digest of the manifest the registry serves for <paramref name="image"/>, hashed here.</summary>
    public string ManifestDigest(string image)
    {
        var raw = Ok(InspectRaw(image));
        return OciLayoutBuilder.Sha256(Encoding.UTF8.GetBytes(raw.StandardOutput));
    }

    /// <summary>The tags <c>skopeo list-tags</c> reports, sorted.</summary>
    public IReadOnlyList<string> Tags(string repository)
    {
        using var listed = JsonDocument.Parse(Ok(ListTags(repository)).StandardOutput);
        return [.. listed.RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal)];
    }

    public static ProcessResult Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"skopeo failed: {result}");
        return result;
    }

    /// <summary>
    /// Asserts that skopeo failed and said one of <paramref name="anyOf"/> (case-insensitive; skopeo versions
    /// word some client-side errors differently).
    /// </summary>
    public static string Fails(ProcessResult result, params string[] anyOf)
    {
        Assert.True(result.ExitCode != 0, $"skopeo should have failed: {result}");
        Assert.True(
            anyOf.Any(expected => result.StandardError.Contains(expected, StringComparison.OrdinalIgnoreCase)),
            $"skopeo should have said {string.Join(" or ", anyOf.Select(e => $"'{e}'"))}: {result}");
        return result.StandardError;
    }

    public ProcessResult Run(params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _home.Path,
            ["XDG_RUNTIME_DIR"] = Path.Combine(_home.Path, "run"),
            ["XDG_CONFIG_HOME"] = Path.Combine(_home.Path, "config"),
            ["REGISTRY_AUTH_FILE"] = Path.Combine(_home.Path, "auth.json"),
        };
        if (_httpProxy is not null)
        {
            environment["HTTP_PROXY"] = _httpProxy;
            environment["http_proxy"] = _httpProxy;
            environment["NO_PROXY"] = string.Empty;
            environment["no_proxy"] = string.Empty;
        }

        return Tools.Run("skopeo", ["--policy", PolicyPath, .. arguments], environment, TimeSpan.FromSeconds(120));
    }

    public void Dispose() => _home.Dispose();

    private string[] WithRegistryOptions(string command, params string[] rest) =>
        _credentials is null
            ? [command, "--tls-verify=false", .. rest]
            : [command, "--tls-verify=false", "--creds", _credentials, .. rest];
}
