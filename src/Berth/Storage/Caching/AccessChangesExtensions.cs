using Berth.Domain.Auth;

namespace Berth.Storage.Caching;

internal static class AccessChangesExtensions
{
    /// <summary>
    /// Awaits a write and moves the generation on once it has finished, before its caller continues; a write that
    /// failed moves it too, since it may have committed before failing.
    /// </summary>
    public static async Task<T> After<T>(this AccessChanges changes, Task<T> write)
    {
        try
        {
            return await write.ConfigureAwait(false);
        }
        finally
        {
            changes.Advance();
        }
    }
}
