namespace Berth.Oci;

/// <summary>
/// The operation label of a /v2/ request in metrics and the access log: its method and resource, such as
/// <c>GET manifest</c>, from a fixed set made once, so labelling a request allocates nothing.
/// </summary>
public static class OciOperations
{
    /// <summary>A path under /v2/ that names no resource.</summary>
    public const string Unmatched = "unmatched";

    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"];
    private static readonly string[,] Labels = MakeLabels();

    public static string Of(OciResource resource, string method)
    {
        for (var i = 0; i < Methods.Length; i++)
        {
            if (string.Equals(Methods[i], method, StringComparison.OrdinalIgnoreCase))
            {
                return Labels[(int)resource, i];
            }
        }

        return Labels[(int)resource, Methods.Length];
    }

    private static string[,] MakeLabels()
    {
        var resources = Enum.GetValues<OciResource>();
        var labels = new string[resources.Length, Methods.Length + 1];
        foreach (var resource in resources)
        {
            var name = resource.ToString().ToLowerInvariant();
            for (var i = 0; i < Methods.Length; i++)
            {
                labels[(int)resource, i] = Methods[i] + " " + name;
            }

            labels[(int)resource, Methods.Length] = "OTHER " + name;
        }

        return labels;
    }
}
