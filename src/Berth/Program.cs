using Berth.Cli;

return await BerthCommandLine.Build().Parse(args).InvokeAsync();
