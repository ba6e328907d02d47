using Berth.Bench.Http;
using Berth.Bench.Processes;

namespace Berth.Bench.Servers;

/// <summary>moto_server (moto's ECR mock) on a fresh port; it accepts any credentials.</summary>
public sealed class MotoServer : Server
{
    public static readonly SigV4Credentials AnyCredentials = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    private MotoServer(ChildProcess process, Uri baseUri, string dataDir)
        : base(process, baseUri, dataDir)
    {
    }

    public static async Task<MotoServer> StartAsync(BenchContext context, string dataDir)
    {
        var executable = context.Tools.MotoServer ?? throw new InvalidOperationException("moto_server is missing");
        Directory.CreateDirectory(dataDir);
        var port = Ports.Free();
        var process = ChildProcess.Start(executable, ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], workingDirectory: dataDir);
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        try
        {
            await WaitUntilAnsweringAsync(context.Http, process, new Uri(baseUri, "/moto-api/"), TimeSpan.FromSeconds(60));
            return new MotoServer(process, baseUri, dataDir);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public EcrClient Ecr(BenchContext context) => new(context.Http, BaseUri, AnyCredentials);
}
