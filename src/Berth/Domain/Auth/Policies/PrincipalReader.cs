using System.Text.Json;
using static Berth.Domain.Auth.Policies.PolicyMessages;

namespace Berth.Domain.Auth.Policies;

/// <summary>
/// Reads a <c>Principal</c> or <c>NotPrincipal</c> element: <c>"*"</c>, or an object with <c>AWS</c> (<c>*</c>, account ids,
/// root, user, role or assumed-role ARNs) and <c>Service</c> entries. IAM allows no partial wildcard in a principal.
/// </summary>
internal static class PrincipalReader
{
    public static string? Read(JsonElement element, string where, out PrincipalSet? principals)
    {
        principals = null;
        if (element.ValueKind == JsonValueKind.String)
        {
            if (element.GetString() != "*")
            {
                return BadPrincipalShape(where);
            }

            principals = new PrincipalSet(true, [], [], []);
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return BadPrincipalShape(where);
        }

        var everyone = false;
        var accounts = new List<string>();
        var arns = new List<string>();
        var services = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return DuplicateElement(where, property.Name);
            }

            if (property.Name is not ("AWS" or "Service"))
            {
                return UnsupportedPrincipalType(where, property.Name);
            }

            var error = PolicyParser.ReadStrings(property.Value, where, $"Principal.{property.Name}", out var entries);
            if (error is not null)
            {
                return error;
            }

            foreach (var entry in entries!)
            {
                if (property.Name == "Service")
                {
                    if (entry.Length == 0)
                    {
                        return BadPrincipal(where, entry);
                    }

                    services.Add(entry);
                }
                else if (entry == "*")
                {
                    everyone = true;
                }
                else if (RepositoryArn.IsAccountId(entry))
                {
                    accounts.Add(entry);
                }
                else if (entry.Contains('*', StringComparison.Ordinal) || entry.Contains('?', StringComparison.Ordinal)
                    || !Principal.TryParse(entry, out var named))
                {
                    return BadPrincipal(where, entry);
                }
                else if (named.Kind == PrincipalKind.Root)
                {
                    accounts.Add(named.AccountId);
                }
                else
                {
                    arns.Add(entry);
                }
            }
        }

        if (seen.Count == 0)
        {
            return BadPrincipalShape(where);
        }

        principals = new PrincipalSet(everyone, accounts, arns, services);
        return null;
    }
}
