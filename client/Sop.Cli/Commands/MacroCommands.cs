using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Sop.Cli.Commands;

/// <summary><c>sop macro put|run|list</c>: logic stored as data.</summary>
internal static class MacroCommands
{
    public static Command Create(CliContext context)
    {
        var macro = new Command("macro", "Store, run and list macros");

        var putName = new Argument<string>("name") { Description = "The macro name" };
        var putFile = new Option<FileInfo>("--file", "-f") { Description = "The macro definition (JSON)", Required = true };
        var put = new Command("put", "Create or replace a macro") { putName, putFile };
        put.SetAction(async (parse, ct) =>
        {
            var body = Json.ReadFile(parse.GetValue(putFile)!.FullName, "the macro") ?? throw new InvalidDataException("the macro file holds null");
            await Json.WriteAsync(context.Output, await context.Api(parse).PutMacroAsync(parse.GetValue(putName)!, body, ct));
            return SopCli.Ok;
        });

        var runName = new Argument<string>("name") { Description = "The macro to run" };
        var args = new Option<string?>("--args") { Description = "The arguments as a JSON object" };
        var run = new Command("run", "Run a macro and print its result") { runName, args };
        run.SetAction(async (parse, ct) =>
        {
            var arguments = parse.GetValue(args) is { } text
                ? Json.Parse(text, "--args") as JsonObject ?? throw new InvalidDataException("--args must be a JSON object")
                : [];
            await Json.WriteAsync(context.Output, await context.Api(parse).RunMacroAsync(parse.GetValue(runName)!, arguments, ct));
            return SopCli.Ok;
        });

        var list = new Command("list", "List the macros (the agents' tools)");
        list.SetAction(async (parse, ct) =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("macro").AddColumn("description").AddColumn("parameters");
            foreach (var m in await context.Api(parse).ListMacrosAsync(ct) as JsonArray ?? [])
            {
                string parameters = string.Join(", ", (m?["parameters"] as JsonArray ?? []).Select(p => $"{p?["name"]}: {p?["type"]}"));
                table.AddRow(Markup.Escape(m?["name"]?.ToString() ?? ""), Markup.Escape(m?["description"]?.ToString() ?? ""), Markup.Escape(parameters));
            }
            context.Console.Write(table);
            return SopCli.Ok;
        });

        macro.Subcommands.Add(put);
        macro.Subcommands.Add(run);
        macro.Subcommands.Add(list);
        return macro;
    }
}
