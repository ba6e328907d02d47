using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Oci;

/// <summary>One ECR action a /v2/ request needs, on one registry or repository.</summary>
public readonly record struct OciPermission(string Action, RegistryResource Resource);

/// <summary>
/// The ECR actions each /v2/ request needs (method × resource), so a principal is authorized on /v2/ with the same
/// IAM actions as the ECR API calls that do the same work. A combination not listed needs none: the base endpoint
/// only authenticates, and a method a resource does not support answers 405 from its handler.
/// </summary>
public static class OciActions
{
    public const string BatchCheckLayerAvailability = "ecr:BatchCheckLayerAvailability";
    public const string BatchDeleteImage = "ecr:BatchDeleteImage";
    public const string BatchGetImage = "ecr:BatchGetImage";
    public const string CompleteLayerUpload = "ecr:CompleteLayerUpload";
    public const string DescribeRepositories = "ecr:DescribeRepositories";
    public const string GetDownloadUrlForLayer = "ecr:GetDownloadUrlForLayer";
    public const string InitiateLayerUpload = "ecr:InitiateLayerUpload";
    public const string ListImages = "ecr:ListImages";
    public const string PutImage = "ecr:PutImage";
    public const string UploadLayerPart = "ecr:UploadLayerPart";

    /// <summary>A mount copies one layer out of the <c>from=</c> repository, so it also needs that layer's read there.</summary>
    public const string MountSource = GetDownloadUrlForLayer;

    private static readonly string[] None = [];
    private static readonly string[] Catalog = [DescribeRepositories];
    private static readonly string[] Tags = [ListImages];

    // Referrers answer descriptors built from the referring manifests' contents, so they need what reading a
    // manifest needs (cosign and notation verify with pull rights only).
    private static readonly string[] Referrers = [BatchGetImage];
    private static readonly string[] ManifestRead = [BatchGetImage];
    private static readonly string[] ManifestPut = [PutImage];
    private static readonly string[] Delete = [BatchDeleteImage];
    private static readonly string[] BlobRead = [GetDownloadUrlForLayer];
    private static readonly string[] BlobCheck = [BatchCheckLayerAvailability];

    // One POST may start a session, or carry a whole blob (?digest=) or mount one, so it needs the whole layer push.
    private static readonly string[] UploadStart = [InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload];

    // A session's PATCH appends; its GET (where to resume) and DELETE (cancel) act on the upload without finishing it.
    private static readonly string[] UploadPart = [UploadLayerPart];

    // The closing PUT may carry the last chunk.
    private static readonly string[] UploadFinish = [UploadLayerPart, CompleteLayerUpload];

    /// <summary>The actions a request needs on its route's repository (on the registry, for the catalog).</summary>
    public static string[] For(OciResource resource, string method) => resource switch
    {
        OciResource.Catalog when HttpMethods.IsGet(method) => Catalog,
        OciResource.Tags when HttpMethods.IsGet(method) => Tags,
        OciResource.Referrers when HttpMethods.IsGet(method) => Referrers,
        OciResource.Manifest when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => ManifestRead,
        OciResource.Manifest when HttpMethods.IsPut(method) => ManifestPut,
        OciResource.Manifest when HttpMethods.IsDelete(method) => Delete,
        OciResource.Blob when HttpMethods.IsGet(method) => BlobRead,
        OciResource.Blob when HttpMethods.IsHead(method) => BlobCheck,
        OciResource.Blob when HttpMethods.IsDelete(method) => Delete,
        OciResource.Uploads when HttpMethods.IsPost(method) => UploadStart,
        OciResource.Upload when HttpMethods.IsPatch(method) || HttpMethods.IsGet(method) || HttpMethods.IsDelete(method) => UploadPart,
        OciResource.Upload when HttpMethods.IsPut(method) => UploadFinish,
        _ => None,
    };

    /// <summary>Everything a request needs: its route's actions, and for a mount the read on the source repository.</summary>
    public static List<OciPermission> Required(OciRoute route, string method, IQueryCollection query, RegistryScope scope)
    {
        var actions = For(route.Resource, method);
        var required = new List<OciPermission>(actions.Length + 1);
        if (actions.Length > 0)
        {
            var target = route.Resource == OciResource.Catalog ? RegistryResource.AllRepositories(scope) : RegistryResource.Of(scope.Repository(route.Name));
            foreach (var action in actions)
            {
                required.Add(new OciPermission(action, target));
            }
        }

        if (MountSourceOf(route, method, query) is { } from)
        {
            required.Add(new OciPermission(MountSource, RegistryResource.Of(scope.Repository(from))));
        }

        return required;
    }

    /// <summary>The <c>from=</c> repository of a mount the upload handler will attempt, or null when it is no mount.</summary>
    public static string? MountSourceOf(OciRoute route, string method, IQueryCollection query)
    {
        if (route.Resource != OciResource.Uploads || !HttpMethods.IsPost(method) || !Digest.TryParse(query["mount"].ToString(), out _))
        {
            return null;
        }

        var from = query["from"].ToString();
        return from.Length > 0 && RepositoryNames.IsValid(from) ? from : null;
    }
}
