using System.Text.Json.Nodes;
using Berth.Domain;

namespace Berth.Tests.Support;

/// <summary>A pushed blob or manifest as a descriptor names it.</summary>
public sealed record ContentRef(Digest Digest, long Size, string MediaType);

/// <summary>Builds manifest and index JSON for protocol tests; compact, so the bytes are predictable.</summary>
public static class TestManifests
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>An OCI image manifest (or artifact, with <paramref name="artifactType"/>).</summary>
    public static string Oci(
        ContentRef config,
        IReadOnlyList<ContentRef> layers,
        string? artifactType = null,
        ContentRef? subject = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var root = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciManifest,
        };
        if (artifactType is not null)
        {
            root["artifactType"] = artifactType;
        }

        root["config"] = Descriptor(config);
        root["layers"] = Descriptors(layers);
        return Finish(root, subject, annotations);
    }

    /// <summary>A Docker schema 2 manifest.</summary>
    public static string Docker(ContentRef config, params ContentRef[] layers) => new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = DockerManifest,
        ["config"] = Descriptor(config),
        ["layers"] = Descriptors(layers),
    }.ToJsonString();

    /// <summary>An OCI index or, with <see cref="DockerList"/>, a Docker manifest list.</summary>
    public static string Index(
        IReadOnlyList<ContentRef> children,
        string mediaType = OciIndex,
        string? artifactType = null,
        ContentRef? subject = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var root = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = mediaType,
        };
        if (artifactType is not null)
        {
            root["artifactType"] = artifactType;
        }

        var manifests = new JsonArray();
        foreach (var child in children)
        {
            var descriptor = Descriptor(child);
            descriptor["platform"] = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux" };
            manifests.Add(descriptor);
        }

        root["manifests"] = manifests;
        return Finish(root, subject, annotations);
    }

    private static string Finish(JsonObject root, ContentRef? subject, IReadOnlyDictionary<string, string>? annotations)
    {
        if (subject is not null)
        {
            root["subject"] = Descriptor(subject);
        }

        if (annotations is not null)
        {
            var node = new JsonObject();
            foreach (var (key, value) in annotations)
            {
                node[key] = value;
            }

            root["annotations"] = node;
        }

        return root.ToJsonString();
    }

    private static JsonObject Descriptor(ContentRef content) => new()
    {
        ["mediaType"] = content.MediaType,
        ["digest"] = content.Digest.ToString(),
        ["size"] = content.Size,
    };

    private static JsonArray Descriptors(IEnumerable<ContentRef> contents)
    {
        var array = new JsonArray();
        foreach (var content in contents)
        {
            array.Add(Descriptor(content));
        }

        return array;
    }
}
