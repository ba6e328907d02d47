using Microsoft.Extensions.Options;

namespace Berth.Domain.Events;

/// <summary>
/// The <c>Berth:Events</c> section: webhooks that receive ECR's EventBridge events as signed HTTP POSTs
/// (<c>Berth:Events:Webhooks:0:Url</c>, …; each key can be set from the environment, e.g.
/// <c>BERTH_EVENTS__WEBHOOKS__0__SECRET</c>).
/// </summary>
public sealed class EventOptions
{
    public const string SectionName = "Berth:Events";

    public List<WebhookOptions> Webhooks { get; set; } = [];
}

/// <summary>One receiver of events.</summary>
public sealed class WebhookOptions
{
    /// <summary>Where events are POSTed (<c>http://</c> or <c>https://</c>).</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>The HMAC-SHA256 key of the <c>X-Berth-Signature-256</c> header; never logged.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>The detail-types sent (<see cref="EventTypes"/>); all when empty.</summary>
    public List<string> Types { get; set; } = [];

    /// <summary>Only events about repositories whose name starts with one of these; all repositories when empty.</summary>
    public List<string> RepositoryPrefixes { get; set; } = [];

    /// <summary>Whether an event of <paramref name="type"/> about <paramref name="repositoryName"/> goes to this webhook.</summary>
    public bool Wants(string type, string repositoryName)
    {
        if (Types.Count > 0 && !Types.Contains(type, StringComparer.Ordinal))
        {
            return false;
        }

        if (RepositoryPrefixes.Count == 0)
        {
            return true;
        }

        foreach (var prefix in RepositoryPrefixes)
        {
            if (repositoryName.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One-line refusals of a bad webhook, naming its key.</summary>
internal sealed class EventOptionsValidator : IValidateOptions<EventOptions>
{
    public ValidateOptionsResult Validate(string? name, EventOptions options)
    {
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var webhook = options.Webhooks[i];
            var key = $"{EventOptions.SectionName}:Webhooks:{i}";
            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            {
                return ValidateOptionsResult.Fail($"berth: invalid value '{webhook.Url}' for {key}:Url: expected an http:// or https:// URL");
            }

            if (string.IsNullOrEmpty(webhook.Secret))
            {
                // The value is never echoed: it is a secret.
                return ValidateOptionsResult.Fail($"berth: missing value for {key}:Secret: every webhook needs a signing secret");
            }

            for (var t = 0; t < webhook.Types.Count; t++)
            {
                if (webhook.Types[t] == EventTypes.FormerLifecyclePolicyAction)
                {
                    // The name Berth used before: ECR has no such detail-type, so say where lifecycle expiries went.
                    return ValidateOptionsResult.Fail(
                        $"berth: invalid value '{webhook.Types[t]}' for {key}:Types:{t}: lifecycle expiries are sent as ECR sends them, "
                        + $"'{EventTypes.ServiceEventViaCloudTrail}' (a PolicyExecutionEvent record); name that type instead");
                }

                if (!EventTypes.All.Contains(webhook.Types[t], StringComparer.Ordinal))
                {
                    return ValidateOptionsResult.Fail(
                        $"berth: invalid value '{webhook.Types[t]}' for {key}:Types:{t}: expected one of {string.Join(", ", EventTypes.All.Select(type => $"'{type}'"))}");
                }
            }
        }

        return ValidateOptionsResult.Success;
    }
}
