namespace Berth.Domain.Auth;

/// <summary>
/// Decides whether a registry token's access key still stands behind it: the key must exist, be active and still act as
/// the token's principal. Keys are found through <see cref="IAccessKeyLookup"/>, whose entries live at most a second,
/// so a token issued to a key that is disabled or deleted stops working within a second.
/// </summary>
public sealed class RegistryTokenGuard(IAccessKeyLookup keys)
{
    public async ValueTask<bool> IsCurrentAsync(RegistryToken token, CancellationToken cancellationToken)
    {
        if (token.AccessKeyId is not { } accessKeyId)
        {
            // Issued without a key (open mode, or by a Berth from before tokens named their key): only ever a root,
            // accepted until it expires.
            return token.Principal.Kind == PrincipalKind.Root;
        }

        var key = await keys.FindAsync(accessKeyId, cancellationToken);
        return key is not null
            && key.AccountId == token.AccountId
            && Principal.OfAccessKey(key, RepositoryArn.Partition(token.Region)).Arn == token.Principal.Arn;
    }
}
