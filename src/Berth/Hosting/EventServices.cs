using Berth.Domain.Events;
using Berth.Domain.Outbox;
using Microsoft.Extensions.Options;

namespace Berth.Hosting;

/// <summary>Registry events to webhooks: the <see cref="EventOptions"/> section, the publisher and the delivery handler.</summary>
public static class EventServices
{
    public static IServiceCollection AddBerthEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventOptions>().Bind(configuration.GetSection(EventOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventOptions>, EventOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<EventOptions>>().Value);
        services.AddSingleton<EventPublisher>();
        services.AddSingleton<IOutboxHandler, WebhookHandler>();
        return services;
    }
}
