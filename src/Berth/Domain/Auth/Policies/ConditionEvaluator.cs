using System.Globalization;
using System.Net;

namespace Berth.Domain.Auth.Policies;

/// <summary>
/// Decides one condition against a request, by IAM's rules: several policy values are OR-ed (NOR-ed for a negated
/// operator); an absent key fails a positive operator and satisfies a negated one, unless <c>IfExists</c> (absent
/// passes) or <c>Null</c> (tests presence) says otherwise; <c>ForAllValues</c> holds for an absent or empty set and
/// <c>ForAnyValue</c> does not.
/// </summary>
public static class ConditionEvaluator
{
    public static bool Holds(PolicyCondition condition, PolicyRequest request)
    {
        var values = ReadValues(condition.Key, request);
        var absent = values is null || values.Count == 0;
        if (condition.Operator == ConditionOperator.Null)
        {
            foreach (var expected in condition.Values)
            {
                if (expected.Flag == absent)
                {
                    return true;
                }
            }

            return false;
        }

        var negated = IsNegated(condition.Operator);
        if (absent)
        {
            return condition.IfExists || condition.Qualifier switch
            {
                SetQualifier.ForAllValues => true,
                SetQualifier.ForAnyValue => false,
                _ => negated,
            };
        }

        var all = true;
        var any = false;
        foreach (var value in values!)
        {
            var holds = MatchesAny(condition, value) != negated;
            all &= holds;
            any |= holds;
        }

        return condition.Qualifier == SetQualifier.ForAllValues ? all : any;
    }

    /// <summary>True for the operators that hold when no policy value matches.</summary>
    public static bool IsNegated(ConditionOperator op) => op is ConditionOperator.StringNotEquals
        or ConditionOperator.StringNotEqualsIgnoreCase or ConditionOperator.StringNotLike or ConditionOperator.ArnNotEquals
        or ConditionOperator.ArnNotLike or ConditionOperator.NotIpAddress or ConditionOperator.DateNotEquals
        or ConditionOperator.NumericNotEquals;

    private static bool MatchesAny(PolicyCondition condition, string value)
    {
        foreach (var expected in condition.Values)
        {
            if (Matches(condition.Operator, value, expected))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(ConditionOperator op, string value, ConditionValue expected)
    {
        switch (op)
        {
            case ConditionOperator.StringEquals or ConditionOperator.StringNotEquals:
                return string.Equals(value, expected.Text, StringComparison.Ordinal);
            case ConditionOperator.StringEqualsIgnoreCase or ConditionOperator.StringNotEqualsIgnoreCase:
                return string.Equals(value, expected.Text, StringComparison.OrdinalIgnoreCase);
            case ConditionOperator.StringLike or ConditionOperator.StringNotLike:
                return PolicyWildcard.Matches(expected.Text, value, ignoreCase: false);
            case ConditionOperator.ArnEquals or ConditionOperator.ArnLike or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike:
                return PolicyWildcard.MatchesArn(expected.Text, value);
            case ConditionOperator.Bool:
                return bool.TryParse(value, out var flag) && flag == expected.Flag;
            case ConditionOperator.IpAddress or ConditionOperator.NotIpAddress:
                return IPAddress.TryParse(value, out var address) && expected.Network.Contains(Normalise(address));
            case ConditionOperator.DateEquals or ConditionOperator.DateNotEquals or ConditionOperator.DateLessThan
                or ConditionOperator.DateLessThanEquals or ConditionOperator.DateGreaterThan or ConditionOperator.DateGreaterThanEquals:
                return ConditionValues.TryParseInstant(value, out var instant) && Compare(op, instant.CompareTo(expected.Instant));
            default:
                return decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && Compare(op, number.CompareTo(expected.Number));
        }
    }

    /// <summary>Applies an ordering operator to a comparison of the request's value with the policy's.</summary>
    private static bool Compare(ConditionOperator op, int order) => op switch
    {
        ConditionOperator.DateEquals or ConditionOperator.DateNotEquals or ConditionOperator.NumericEquals or ConditionOperator.NumericNotEquals => order == 0,
        ConditionOperator.DateLessThan or ConditionOperator.NumericLessThan => order < 0,
        ConditionOperator.DateLessThanEquals or ConditionOperator.NumericLessThanEquals => order <= 0,
        ConditionOperator.DateGreaterThan or ConditionOperator.NumericGreaterThan => order > 0,
        _ => order >= 0,
    };

    internal static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The request's values for a key, as text; null when the request has no such key.</summary>
    private static IReadOnlyList<string>? ReadValues(ConditionKey key, PolicyRequest request)
    {
        var single = key.Kind switch
        {
            ConditionKeyKind.PrincipalAccount => request.Principal.AccountId,
            ConditionKeyKind.PrincipalArn => PolicyPrincipals.IamArnOf(request.Principal),
            ConditionKeyKind.PrincipalType => PolicyPrincipals.TypeOf(request.Principal),
            ConditionKeyKind.SourceIp => request.SourceIp is { } ip ? Normalise(ip).ToString() : null,
            ConditionKeyKind.CurrentTime => request.CurrentTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ConditionKeyKind.SecureTransport => request.SecureTransport ? "true" : "false",
            ConditionKeyKind.ResourceTag => FindTag(request.ResourceTags, key.TagKey!),
            ConditionKeyKind.RequestTag => FindTag(request.RequestTags, key.TagKey!),
            _ => null,
        };
        if (key.Kind == ConditionKeyKind.TagKeys)
        {
            return request.TagKeys;
        }

        return single is null ? null : [single];
    }

    private static string? FindTag(IReadOnlyDictionary<string, string>? tags, string tagKey)
    {
        if (tags is null)
        {
            return null;
        }

        if (tags.TryGetValue(tagKey, out var exact))
        {
            return exact;
        }

        foreach (var (name, value) in tags)
        {
            if (string.Equals(name, tagKey, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
