using System.CommandLine;
using Berth.Domain.Auth;
using Berth.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Cli;

/// <summary>`berth serve`: runs the ECR API and the registry in one process.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var settings = new SettingFlags([.. BerthSettings.All]);
        var command = new Command("serve", "Run the registry and the ECR API.");
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var builder = BerthApp.CreateBuilder(settings.Load(parseResult));
            WebApplication app;
            try
            {
                app = await BerthApp.BuildAsync(builder, cancellationToken);
            }
            catch (OptionsValidationException e)
            {
                Console.Error.WriteLine(e.Failures.First());
                return 2;
            }
            catch (Exception e) when (e is DataDirectoryInUseException or SecretsKeyMismatchException or ListenAddressUnavailableException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }

            await using (app)
            {
                try
                {
                    await app.RunAsync();
                }
                catch (IOException e) when (ListenProbe.Refusal(app.Services.GetRequiredService<BerthOptions>().Listen, e) is { } refusal)
                {
                    // Taken between the probe and Kestrel's bind.
                    Console.Error.WriteLine(refusal);
                    return 2;
                }
            }

            return 0;
        });
        return command;
    }
}
