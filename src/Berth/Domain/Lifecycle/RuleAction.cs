namespace Berth.Domain.Lifecycle;

/// <summary>A rule's action; <see cref="TargetStorageClass"/> is set exactly when the type is transition.</summary>
public sealed record RuleAction(LifecycleActionType Type, StorageClass? TargetStorageClass)
{
    public static RuleAction Expire { get; } = new(LifecycleActionType.Expire, null);

    public static RuleAction TransitionToArchive { get; } = new(LifecycleActionType.Transition, StorageClass.Archive);
}
