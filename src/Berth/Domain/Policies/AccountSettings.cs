using System.Collections.Frozen;

namespace Berth.Domain.Policies;

/// <summary>
/// The account settings ECR's GetAccountSetting and PutAccountSetting know, each with its allowed values and the value
/// a registry has until one is put. BLOB_MOUNTING defaults to ENABLED because /v2/ cross-repository mounts worked before
/// the setting existed.
/// </summary>
public static class AccountSettings
{
    public const string BasicScanTypeVersion = "BASIC_SCAN_TYPE_VERSION";
    public const string RegistryPolicyScope = "REGISTRY_POLICY_SCOPE";
    public const string BlobMounting = "BLOB_MOUNTING";

    public const string ScopeV1 = "V1";
    public const string ScopeV2 = "V2";
    public const string Enabled = "ENABLED";
    public const string Disabled = "DISABLED";

    private static readonly FrozenDictionary<string, (string[] Values, string Default)> Known = new Dictionary<string, (string[], string)>
    {
        [BasicScanTypeVersion] = (["AWS_NATIVE"], "AWS_NATIVE"),
        [RegistryPolicyScope] = ([ScopeV1, ScopeV2], ScopeV2),
        [BlobMounting] = ([Enabled, Disabled], Enabled),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsKnown(string name) => Known.ContainsKey(name);

    /// <summary>The value of a setting never put; only for a known name.</summary>
    public static string DefaultOf(string name) => Known[name].Default;

    /// <summary>
    /// The InvalidParameterException for an unknown name or a value the name does not take, worded as AWS words an enum
    /// violation (the model types both as free strings); null when both are fine.
    /// </summary>
    public static DomainError? Problem(string name, string? value)
    {
        if (!Known.TryGetValue(name, out var setting))
        {
            return DomainError.InvalidParameter("name", $"Member must satisfy enum value set: [{string.Join(", ", Known.Keys.Order(StringComparer.Ordinal))}]");
        }

        return value is null || Array.IndexOf(setting.Values, value) >= 0
            ? null
            : DomainError.InvalidParameter("value", $"Member must satisfy enum value set: [{string.Join(", ", setting.Values)}]");
    }
}
