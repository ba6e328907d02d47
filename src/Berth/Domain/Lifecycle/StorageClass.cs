namespace Berth.Domain.Lifecycle;

/// <summary>Where an image lives: standard (pullable) or archive (kept cheaply, not pullable until restored).</summary>
public enum StorageClass
{
    Standard,
    Archive,
}
