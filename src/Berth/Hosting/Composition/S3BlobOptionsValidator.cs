using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Berth.Hosting.Composition;

/// <summary>Checks the S3 section before anything touches the bucket, failing with one line naming the key.</summary>
/// <param name="section">The section's full path, <c>Berth:Storage:Blobs:S3</c>.</param>
internal sealed partial class S3BlobOptionsValidator(string section) : IValidateOptions<S3BlobOptions>
{
    public ValidateOptionsResult Validate(string? name, S3BlobOptions options)
    {
        var error = Check("ServiceUrl", options.ServiceUrl, IsServiceUrl, "expected http(s)://HOST[:PORT] of an S3-compatible endpoint")
            ?? (string.IsNullOrEmpty(options.Bucket)
                ? $"berth: {section}:Bucket is required when {StorageOptions.SectionName}:Blobs:Type is s3"
                : Check("Bucket", options.Bucket, static b => BucketPattern().IsMatch(b), "expected an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)"))
            ?? Check("Region", options.Region, static r => RegionPattern().IsMatch(r), "expected a region name such as us-east-1 (or auto)")
            ?? Check("ForcePathStyle", options.ForcePathStyle, static v => bool.TryParse(v, out _), "expected true or false")
            ?? Check("Redirect", options.Redirect, static v => bool.TryParse(v, out _), "expected true or false")
            ?? Check("Prefix", options.Prefix, IsPrefix, "expected a key prefix such as berth/ (letters, digits, '-', '_', '.', '/'; no '..' or '//')");
        return error is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error);
    }

    private string? Check(string key, string? value, Func<string, bool> valid, string expected) =>
        string.IsNullOrEmpty(value) || valid(value) ? null : $"berth: invalid value '{value}' for {section}:{key}: {expected}";

    private static bool IsServiceUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0;

    private static bool IsPrefix(string text) =>
        text.Length <= 512 && PrefixPattern().IsMatch(text) && !text.Contains("..", StringComparison.Ordinal) && !text.Contains("//", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex("^([a-z]{2}(-[a-z]+)+-[0-9]+|auto)$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[A-Za-z0-9._/-]+$")]
    private static partial Regex PrefixPattern();
}
