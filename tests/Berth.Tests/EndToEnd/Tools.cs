using System.Diagnostics;

namespace Berth.Tests.EndToEnd;

/// <summary>Finds and runs the external clients the end-to-end tests drive.</summary>
public static class Tools
{
    public const string Aws = "aws";
    public const string Boto3 = "boto3";
    public const string Skopeo = "skopeo";
    public const string Nginx = "nginx";
    public const string Podman = "podman";

    /// <summary>Python's cryptography package, the independent verifier of Berth's signatures.</summary>
    public const string PythonCryptography = "python3 with the cryptography package";

    /// <summary>terraform on the PATH and the AWS provider in the machine's local mirror (named so a skip says both).</summary>
    public const string Terraform = "terraform with the AWS provider " + TerraformRunner.AwsProviderVersion + " in " + TerraformRunner.ProviderMirror;

    public static bool IsAvailable(string tool) => tool switch
    {
        Boto3 => Run("python3", ["-c", "import boto3"], null, TimeSpan.FromSeconds(30)).ExitCode == 0,
        PythonCryptography => Run("python3", ["-c", "import cryptography"], null, TimeSpan.FromSeconds(30)).ExitCode == 0,
        Terraform => FindOnPath("terraform") is not null && TerraformRunner.MirrorHoldsAwsProvider(),
        Nginx => NginxPath() is not null,
        _ => FindOnPath(tool) is not null,
    };

    /// <summary>nginx on the PATH, or where Debian's package puts it (/usr/sbin is not on every user's PATH).</summary>
    public static string? NginxPath() => FindOnPath("nginx") ?? (File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null);

    public static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a process to completion, capturing its output.</summary>
    public static ProcessResult Run(
        string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return new ProcessResult(-1, stdout.Result, stderr.Result + $"\n(killed after {timeout})");
            }

            return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new ProcessResult(-1, string.Empty, ex.Message);
        }
    }
}

/// <summary>What a finished process printed and returned.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
}
