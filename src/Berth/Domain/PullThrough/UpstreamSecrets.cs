using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Domain.Auth;

namespace Berth.Domain.PullThrough;

/// <summary>
/// Berth's stand-in for Secrets Manager: secrets kept sealed in the metadata store under the secrets key, and the
/// credential ARNs of pull-through rules resolved to them. A value holds Secrets Manager's pull-through shape,
/// <c>{"username": …, "accessToken": …}</c>.
/// </summary>
public sealed partial class UpstreamSecrets(IMetadataStore store, SecretSealer sealer, TimeProvider time)
{
    /// <summary>The name prefix ECR requires of a pull-through credential's secret.</summary>
    public const string NamePrefix = "ecr-pullthroughcache/";

    /// <summary>Whether <paramref name="name"/> may name a secret (Secrets Manager's characters, ECR's prefix).</summary>
    public static bool IsValidName(string name) => name.StartsWith(NamePrefix, StringComparison.Ordinal) && SecretName().IsMatch(name);

    /// <summary>The ARN a rule names this secret by.</summary>
    public static string ArnOf(RegistryScope registry, string name) => $"arn:aws:secretsmanager:{registry.Region}:{registry.AccountId}:secret:{name}";

    /// <summary>Seals and stores the credential under <paramref name="name"/>; true when it was created, false when replaced.</summary>
    public Task<bool> PutAsync(RegistryScope registry, string name, UpstreamCredential credential, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["username"] = credential.Username,
            ["accessToken"] = credential.AccessToken,
        }, SecretJsonContext.Default.DictionaryStringString);
        return store.Secrets.PutAsync(registry, name, sealer.Seal(AssociatedData(registry, name), json), time.GetUtcNow(), cancellationToken);
    }

    public Task<IReadOnlyList<StoredSecret>> ListAsync(RegistryScope? registry, CancellationToken cancellationToken) =>
        store.Secrets.ListAsync(registry, cancellationToken);

    public Task<bool> DeleteAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        store.Secrets.DeleteAsync(registry, name, cancellationToken);

    /// <summary>
    /// The credential a rule's ARN names: the ARN must be this registry's own secret (another account's or region's is
    /// not reachable here), exist, open with this server's key and hold a user name and token. Secrets Manager's
    /// six-character ARN suffix (<c>-AbCdEf</c>) is accepted.
    /// </summary>
    public async Task<Result<UpstreamCredential>> ResolveAsync(RegistryScope registry, string credentialArn, CancellationToken cancellationToken)
    {
        var match = SecretArn().Match(credentialArn);
        if (!match.Success)
        {
            return new DomainError(ErrorCode.SecretNotFound, $"The secret '{credentialArn}' is not a Secrets Manager secret ARN.");
        }

        if (match.Groups["account"].Value != registry.AccountId || match.Groups["region"].Value != registry.Region)
        {
            return new DomainError(
                ErrorCode.SecretInaccessible,
                $"Unable to access the secret '{credentialArn}': Berth reads only secrets of the registry's own account and region.");
        }

        var name = match.Groups["name"].Value;
        var stored = await store.Secrets.GetAsync(registry, name, cancellationToken);
        if (stored is null && SuffixedName().Match(name) is { Success: true } suffixed)
        {
            name = suffixed.Groups["name"].Value;
            stored = await store.Secrets.GetAsync(registry, name, cancellationToken);
        }

        if (stored is null)
        {
            return new DomainError(ErrorCode.SecretNotFound, $"The secret '{credentialArn}' does not exist (create it with: berth secrets put --name {name}).");
        }

        if (sealer.Unseal(AssociatedData(registry, name), stored.SealedValue) is not { } json)
        {
            return new DomainError(ErrorCode.SecretUndecryptable, $"The secret '{credentialArn}' does not open with {sealer.Source}.");
        }

        Dictionary<string, string>? fields;
        try
        {
            fields = JsonSerializer.Deserialize(json, SecretJsonContext.Default.DictionaryStringString);
        }
        catch (JsonException)
        {
            fields = null;
        }

        return fields is not null && fields.TryGetValue("username", out var user) && fields.TryGetValue("accessToken", out var token)
            ? new UpstreamCredential(user, token)
            : new DomainError(ErrorCode.SecretInaccessible, $"The secret '{credentialArn}' does not hold a username and accessToken.");
    }

    // Bound to the registry and name, so a sealed value copied onto another secret's row does not open.
    private static string AssociatedData(RegistryScope registry, string name) =>
        new StringBuilder("secret:").Append(registry.AccountId).Append(':').Append(registry.Region).Append(':').Append(name).ToString();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:secretsmanager:(?<region>[a-z0-9-]+):(?<account>[0-9]{12}):secret:(?<name>ecr-pullthroughcache/[a-zA-Z0-9/_+=.@-]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretArn();

    [GeneratedRegex(@"^(?<name>.+)-[a-zA-Z0-9]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex SuffixedName();

    [GeneratedRegex(@"^[a-zA-Z0-9/_+=.@-]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
