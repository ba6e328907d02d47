using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Berth.Ecr.SigV4;

/// <summary>Parses and checks a SigV4 credential: <c>AKID/yyyyMMdd/region/service/aws4_request</c>.</summary>
internal static class CredentialScope
{
    /// <summary>
    /// Splits the credential and checks its scope against the request time and the service,
    /// naming every wrong element at once as AWS does.
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<char> credential,
        ReadOnlySpan<char> amzDate,
        string service,
        [NotNullWhen(true)] out string? accessKeyId,
        [NotNullWhen(true)] out string? region,
        [NotNullWhen(false)] out SigV4Outcome? failure)
    {
        accessKeyId = null;
        region = null;

        // AWS ignores trailing slashes on the credential.
        var trimmed = credential.TrimEnd('/');
        Span<Range> parts = stackalloc Range[6];
        if (trimmed.Split(parts, '/') != 5)
        {
            failure = SigV4Failures.Incomplete(
                $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'");
            return false;
        }

        var date = trimmed[parts[1]];
        var regionPart = trimmed[parts[2]];
        var servicePart = trimmed[parts[3]];
        var terminator = trimmed[parts[4]];
        var requestDate = amzDate[..Math.Min(8, amzDate.Length)];

        StringBuilder? problems = null;
        if (!IsRegionName(regionPart))
        {
            Append(ref problems, $"Credential should be scoped to a valid region, not '{regionPart}'. ");
        }

        if (!servicePart.SequenceEqual(service))
        {
            Append(ref problems, $"Credential should be scoped to correct service: '{service}'. ");
        }

        if (terminator is not SigV4Signature.Terminator)
        {
            Append(ref problems, $"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'. ");
        }

        if (!date.SequenceEqual(requestDate))
        {
            Append(ref problems,
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{date}' != '{requestDate}', from '{amzDate}'.");
        }

        if (problems is not null)
        {
            failure = SigV4Failures.Invalid(problems.ToString().TrimEnd());
            return false;
        }

        var keyId = trimmed[parts[0]];
        if (keyId.IsEmpty)
        {
            failure = SigV4Failures.UnrecognizedClient;
            return false;
        }

        accessKeyId = keyId.ToString();
        region = regionPart.ToString();
        failure = null;
        return true;
    }

    // Region names are lower-case words and digits joined by '-', e.g. us-east-1 or us-gov-west-1.
    private static bool IsRegionName(ReadOnlySpan<char> region)
    {
        if (region.IsEmpty || region.Length > 64)
        {
            return false;
        }

        foreach (var c in region)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static void Append(ref StringBuilder? problems, string problem) =>
        (problems ??= new StringBuilder()).Append(problem);
}
