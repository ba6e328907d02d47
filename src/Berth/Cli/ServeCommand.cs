using System.CommandLine;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>`berth serve`: runs the ECR API and the registry in one process.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        Option<string?>[] options =
        [
            new("--listen") { Description = $"Address to listen on (default {BerthOptions.DefaultListen}; env BERTH_LISTEN)" },
            CommonOptions.DataDir(),
            new("--region") { Description = $"Region used where a request names none (default {BerthOptions.DefaultRegion}; env BERTH_REGION)" },
            CommonOptions.AccountId(),
            new("--auth") { Description = "sigv4 (default) or none (env BERTH_AUTH)" },
            new("--public-url") { Description = "Registry address in repositoryUri and proxyEndpoint (default derived from --listen; env BERTH_PUBLIC_URL)" },
            new("--lifecycle-interval") { Description = "How often lifecycle policies are applied (default 24h)" },
            new("--gc-interval") { Description = "How often unreferenced blobs are collected (default 1h)" },
            new("--gc-grace-period") { Description = "Age an unreferenced blob must reach before it is collected (default 1h)" },
            new("--upload-max-age") { Description = "Idle time after which an unfinished upload is purged (default 24h)" },
        ];
        var command = new Command("serve", "Run the registry and the ECR API.");
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var resolved = CommonOptions.Resolve(parseResult, options);
            if (resolved is null)
            {
                return 2;
            }

            var builder = BerthApp.CreateBuilder(resolved, BerthConfiguration.Load());
            await using var app = await BerthApp.BuildAsync(builder, cancellationToken);
            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
