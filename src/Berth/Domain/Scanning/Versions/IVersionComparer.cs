namespace Berth.Domain.Scanning.Versions;

/// <summary>Orders two version strings of one packaging ecosystem the way that ecosystem's own tools do.</summary>
public interface IVersionComparer
{
    /// <summary>Negative when <paramref name="left"/> is older, zero when equal, positive when newer.</summary>
    int Compare(string left, string right);
}
