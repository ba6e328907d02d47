using Microsoft.Extensions.Options;

namespace Berth.Diagnostics.Audit;

/// <summary>Where audit records go: the <c>Berth:Audit</c> section.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Berth:Audit";
    public const string DefaultFileName = "audit.log";

    /// <summary><c>file</c> (the default: JSON lines appended to <see cref="Path"/>), <c>stdout</c> or <c>off</c>.</summary>
    public string Target { get; set; } = AuditTarget.File;

    /// <summary>The file for the <c>file</c> target; <c>&lt;data-dir&gt;/audit.log</c> when unset.</summary>
    public string? Path { get; set; }
}

/// <summary>The values <see cref="AuditOptions.Target"/> accepts.</summary>
public static class AuditTarget
{
    public const string File = "file";
    public const string Stdout = "stdout";
    public const string Off = "off";

    public static bool IsKnown(string target) =>
        target.Equals(File, StringComparison.OrdinalIgnoreCase)
        || target.Equals(Stdout, StringComparison.OrdinalIgnoreCase)
        || target.Equals(Off, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One-line refusals of a bad audit setting, like every other setting's.</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        if (!AuditTarget.IsKnown(options.Target))
        {
            return ValidateOptionsResult.Fail(
                $"berth: invalid value '{options.Target}' for {AuditOptions.SectionName}:Target: expected file, stdout or off");
        }

        return options.Path is { } path && (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
            ? ValidateOptionsResult.Fail($"berth: invalid value '{path}' for {AuditOptions.SectionName}:Path: expected a path")
            : ValidateOptionsResult.Success;
    }
}
