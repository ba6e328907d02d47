namespace Berth.Domain.Lifecycle;

/// <summary>How a rule picks images among its candidates: by count or by the age of one of the image's clocks.</summary>
public enum CountType
{
    /// <summary>Keeps the <c>countNumber</c> most recently pushed candidates and selects the rest.</summary>
    ImageCountMoreThan,

    /// <summary>Selects candidates pushed (or restored from archive) more than <c>countNumber</c> days ago.</summary>
    SinceImagePushed,

    /// <summary>Selects candidates not pulled for more than <c>countNumber</c> days; transition rules only.</summary>
    SinceImagePulled,

    /// <summary>Selects archived candidates archived more than <c>countNumber</c> days ago; expire rules only.</summary>
    SinceImageTransitioned,
}
