using Sop.Cli;
using Spectre.Console;

return await SopCli.RunAsync(args, AnsiConsole.Console, Console.Out, Console.Error);
