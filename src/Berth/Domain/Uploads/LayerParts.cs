namespace Berth.Domain.Uploads;

/// <summary>ECR's limits on the layer-upload API's parts.</summary>
public static class LayerParts
{
    /// <summary>What InitiateLayerUpload advises: clients cut every part but the last to this size.</summary>
    public const long PartSize = 10 * 1024 * 1024;

    public const long MinPartSize = 5 * 1024 * 1024;

    public const int MaxParts = 4200;
}
