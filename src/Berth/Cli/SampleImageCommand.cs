using System.CommandLine;

namespace Berth.Cli;

/// <summary>`berth sample-image`: writes a tiny OCI image layout to push with skopeo, for trying Berth without docker.</summary>
public static class SampleImageCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder to write the OCI image layout into", Required = true };
        var tag = new Option<string>("--tag") { Description = "The tag recorded in index.json", DefaultValueFactory = _ => "latest" };
        var command = new Command("sample-image", "Write a small OCI image layout (push it with: skopeo copy oci:DIR docker://…).") { output, tag };
        command.SetAction(parseResult =>
        {
            var directory = parseResult.GetValue(output)!;
            if (File.Exists(directory) || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !File.Exists(Path.Combine(directory, "oci-layout"))))
            {
                Console.Error.WriteLine($"berth: '{directory}' exists and is not an OCI image layout; give an empty or new folder");
                return 2;
            }

            var digest = SampleImageLayout.Write(directory, parseResult.GetValue(tag)!);
            Console.Out.WriteLine($"sample image {digest} written to {Path.GetFullPath(directory)} (skopeo copy oci:{directory} docker://HOST/REPOSITORY:TAG)");
            return 0;
        });
        return command;
    }
}
