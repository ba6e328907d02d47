using System.CommandLine;
using System.Globalization;
using Berth.Domain;
using Berth.Domain.Signing;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>
/// `berth signing-profiles create|list|delete|export-root`: Berth's stand-in for AWS Signer profiles, which signing
/// configurations name by ARN. Each profile's key is sealed with the secrets key; its root certificate is what a Notary
/// Project verifier (notation) trusts. Safe while a server runs.
/// </summary>
public static class SigningProfilesCommand
{
    public static Command Create()
    {
        var profiles = new Command("signing-profiles", "Manage the signing profiles that managed signing signs pushes with.");
        profiles.Subcommands.Add(CreateProfile());
        profiles.Subcommands.Add(List());
        profiles.Subcommands.Add(Delete());
        profiles.Subcommands.Add(ExportRoot());
        return profiles;
    }

    private static SettingFlags Settings() =>
        new(BerthSettings.DataDir, BerthSettings.SecretsKeyPath, BerthSettings.AccountId, BerthSettings.Region);

    private static Option<string> NameOption() => new("--name") { Description = "The profile's name: 2 to 64 letters, digits and underscores", Required = true };

    private static Command CreateProfile()
    {
        var settings = Settings();
        var name = NameOption();
        var validity = new Option<int>("--validity-days")
        {
            Description = $"How long the profile's certificates are valid (default {SigningService.DefaultValidityDays})",
            DefaultValueFactory = _ => SigningService.DefaultValidityDays,
        };
        var algorithm = new Option<string>("--key-algorithm")
        {
            Description = "ecdsa-p256 (signs with ES256, the default) or rsa-3072 (signs with PS384)",
            DefaultValueFactory = _ => "ecdsa-p256",
        };
        algorithm.AcceptOnlyFromAmong("ecdsa-p256", "rsa-3072");
        var command = new Command("create", "Create a signing profile (a key and its certificate chain) and print its ARN.") { name, validity, algorithm };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: false, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var keyAlgorithm = parseResult.GetValue(algorithm) == "rsa-3072" ? SigningKeyAlgorithm.Rsa3072 : SigningKeyAlgorithm.EcdsaP256;
            var created = await services.GetRequiredService<SigningService>().CreateProfileAsync(
                Registry(services), parseResult.GetValue(name)!, keyAlgorithm, parseResult.GetValue(validity), cancellationToken);
            if (!created.IsSuccess)
            {
                Console.Error.WriteLine($"berth: {created.Error!.Message}");
                return 1;
            }

            Console.Out.WriteLine(created.Value.Arn);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var settings = Settings();
        var command = new Command("list", "List the registry's signing profiles: ARN, key algorithm, creation and expiry.");
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var found = await services.GetRequiredService<SigningService>().ListProfilesAsync(Registry(services), cancellationToken);
            Console.Out.WriteLine("ARN\tKEY_ALGORITHM\tCREATED\tNOT_AFTER");
            foreach (var profile in found)
            {
                Console.Out.WriteLine(string.Join('\t', profile.Arn, profile.Algorithm, Time(profile.CreatedAt), Time(profile.NotAfter)));
            }

            return 0;
        });
        return command;
    }

    private static Command Delete() => OnProfile(
        "delete",
        "Delete a signing profile: images queued for it from now on fail to sign (SigningProfileNotFound).",
        [],
        async (services, profile, _, cancellationToken) =>
        {
            await services.GetRequiredService<SigningService>().DeleteProfileAsync(profile.Registry, profile.Name, cancellationToken);
            Console.Out.WriteLine($"Signing profile {profile.Name} deleted.");
        });

    private static Command ExportRoot()
    {
        var output = new Option<string?>("--output") { Description = "Write the PEM here instead of to standard output" };
        return OnProfile(
            "export-root",
            "Print the profile's root certificate (PEM), for a Notary Project verifier's trust store.",
            [output],
            async (_, profile, parseResult, cancellationToken) =>
            {
                var pem = SigningProfileIssuer.RootPem(profile) + "\n";
                if (parseResult.GetValue(output) is { } path)
                {
                    await File.WriteAllTextAsync(path, pem, cancellationToken);
                }
                else
                {
                    Console.Out.Write(pem);
                }
            });
    }

    /// <summary>A command on the one profile --name names; 1 when the registry has no such profile.</summary>
    private static Command OnProfile(
        string verb, string description, Option[] options, Func<IServiceProvider, SigningProfile, ParseResult, CancellationToken, Task> act)
    {
        var settings = Settings();
        var name = NameOption();
        var command = new Command(verb, description) { name };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var profileName = parseResult.GetValue(name)!;
            if (await services.GetRequiredService<SigningService>().GetProfileAsync(Registry(services), profileName, cancellationToken) is not { } profile)
            {
                Console.Error.WriteLine($"berth: no signing profile '{profileName}'");
                return 1;
            }

            await act(services, profile, parseResult, cancellationToken);
            return 0;
        });
        return command;
    }

    private static RegistryScope Registry(IServiceProvider services)
    {
        var options = services.GetRequiredService<BerthOptions>();
        return new RegistryScope(options.AccountId, options.Region);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
