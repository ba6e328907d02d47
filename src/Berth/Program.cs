using Berth.Cli;

return await BerthCommandLine.InvokeAsync(args);
