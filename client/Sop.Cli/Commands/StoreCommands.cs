using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Sop.Cli.Commands;

/// <summary><c>sop stores list|create|delete</c>.</summary>
internal static class StoreCommands
{
    public static Command Create(CliContext context)
    {
        var stores = new Command("stores", "List, create and delete stores (B-Trees)");

        var list = new Command("list", "List the stores with their item counts");
        list.SetAction(async (parse, ct) =>
        {
            var all = await context.Api(parse).ListStoresAsync(ct) as JsonArray ?? [];
            var table = new Table().Border(TableBorder.Rounded).AddColumn("store").AddColumn(new TableColumn("count").RightAligned())
                .AddColumn(new TableColumn("slot length").RightAligned()).AddColumn("unique keys").AddColumn("description");
            foreach (var store in all)
                table.AddRow(Markup.Escape(Text(store?["name"])), Text(store?["count"]), Text(store?["slotLength"]), Text(store?["uniqueKeys"]), Markup.Escape(Text(store?["description"])));
            context.Console.Write(table);
            return SopCli.Ok;
        });

        var name = new Argument<string>("name") { Description = "The store name" };
        var slotLength = new Option<int?>("--slot-length") { Description = "Items per node (4..10000, default 500)" };
        var nonUnique = new Option<bool>("--non-unique") { Description = "Allow several items with equal keys" };
        var valuesOut = new Option<bool>("--values-out-of-node") { Description = "Keep every value in its own blob" };
        var description = new Option<string?>("--description") { Description = "What the store holds" };
        var create = new Command("create", "Create a store") { name, slotLength, nonUnique, valuesOut, description };
        create.SetAction(async (parse, ct) =>
        {
            var body = new JsonObject { ["name"] = parse.GetValue(name), ["uniqueKeys"] = !parse.GetValue(nonUnique), ["valueInNode"] = !parse.GetValue(valuesOut) };
            if (parse.GetValue(slotLength) is { } slot) body["slotLength"] = slot;
            if (parse.GetValue(description) is { } text) body["description"] = text;
            await Json.WriteAsync(context.Output, await context.Api(parse).CreateStoreAsync(body, ct));
            return SopCli.Ok;
        });

        var deleteName = new Argument<string>("name") { Description = "The store to delete with all its items" };
        var delete = new Command("delete", "Delete a store and all its items") { deleteName };
        delete.SetAction(async (parse, ct) =>
        {
            await context.Api(parse).DeleteStoreAsync(parse.GetValue(deleteName)!, ct);
            await context.Output.WriteLineAsync($"deleted store '{parse.GetValue(deleteName)}'");
            return SopCli.Ok;
        });

        stores.Subcommands.Add(list);
        stores.Subcommands.Add(create);
        stores.Subcommands.Add(delete);
        return stores;
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };
}
