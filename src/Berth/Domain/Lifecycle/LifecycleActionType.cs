namespace Berth.Domain.Lifecycle;

/// <summary>What a rule does to the images it selects.</summary>
public enum LifecycleActionType
{
    /// <summary>Deletes the image.</summary>
    Expire,

    /// <summary>Moves the image to another storage class (archive).</summary>
    Transition,
}
