namespace Berth.Domain.Lifecycle;

/// <summary>What one evaluation decides for one image.</summary>
public enum LifecycleOutcome
{
    Keep,
    Expire,

    /// <summary>Move to the archive storage class.</summary>
    Transition,
}
