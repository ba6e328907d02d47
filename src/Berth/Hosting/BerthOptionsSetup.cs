using Microsoft.Extensions.Options;

namespace Berth.Hosting;

/// <summary>Binds <see cref="BerthOptions"/> from configuration through <see cref="BerthSettings"/>, and validates it.</summary>
/// <remarks>
/// Durations (<c>24h</c>) and addresses follow Berth's own formats, which the standard binder cannot read, and a text
/// that does not parse has no typed value to validate afterwards; so the validator binds once more and reports the
/// first bad text, by its option name.
/// </remarks>
internal sealed class BerthOptionsSetup(IConfiguration configuration) : IConfigureOptions<BerthOptions>, IValidateOptions<BerthOptions>
{
    public void Configure(BerthOptions options) => BerthSettings.Bind(configuration, options);

    public ValidateOptionsResult Validate(string? name, BerthOptions options)
    {
        var bound = new BerthOptions();
        return (BerthSettings.Bind(configuration, bound) ?? SecretsKey.Check(configuration) ?? ServerCertificate.Check(bound)) is { } error
            ? ValidateOptionsResult.Fail(error)
            : ValidateOptionsResult.Success;
    }
}
