using System.CommandLine;
using System.Text.Json.Nodes;

namespace Sop.Cli.Commands;

/// <summary><c>sop tx -f ops.json</c>: one ACID transaction from a file of operations.</summary>
internal static class TransactionCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Option<FileInfo>("--file", "-f") { Description = "The transaction: {\"mode\":...,\"operations\":[...]} or just the operations array", Required = true };
        var command = new Command("tx", "Run one transaction (all operations commit together or none does)") { file };
        command.SetAction(async (parse, ct) =>
        {
            var body = Json.ReadFile(parse.GetValue(file)!.FullName, "the transaction");
            if (body is JsonArray operations) body = new JsonObject { ["operations"] = operations.DeepClone() };
            if (body is not JsonObject) throw new InvalidDataException("the transaction file must hold an object with \"operations\" or an array of operations");
            await Json.WriteAsync(context.Output, await context.Api(parse).TransactionAsync(body, ct));
            return SopCli.Ok;
        });
        return command;
    }
}
