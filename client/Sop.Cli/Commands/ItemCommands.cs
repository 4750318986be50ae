using System.CommandLine;
using System.Text.Json.Nodes;

namespace Sop.Cli.Commands;

/// <summary><c>sop get|put|delete|scan</c>: one item call is one transaction on the server.</summary>
internal static class ItemCommands
{
    private static Argument<string> StoreArgument() => new("store") { Description = "The store" };

    private static Argument<string> KeyArgument() => new("key") { Description = "The key (any UTF-8 text)" };

    public static Command Get(CliContext context)
    {
        var store = StoreArgument();
        var key = KeyArgument();
        var command = new Command("get", "Print one item as JSON") { store, key };
        command.SetAction(async (parse, ct) =>
        {
            await Json.WriteAsync(context.Output, await context.Api(parse).GetAsync(parse.GetValue(store)!, parse.GetValue(key)!, ct));
            return SopCli.Ok;
        });
        return command;
    }

    public static Command Put(CliContext context)
    {
        var store = StoreArgument();
        var key = KeyArgument();
        var value = new Argument<string?>("value") { Description = "The value as JSON (or use --file)", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Read the JSON value from this file" };
        var command = new Command("put", "Insert or replace one item") { store, key, value, file };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(value) is null) == (r.GetValue(file) is null)) r.AddError("give the value either as an argument or with --file");
        });
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(file) is { } f ? Json.ReadFile(f.FullName, "the value") : Json.Parse(parse.GetValue(value)!, "the value");
            await Json.WriteAsync(context.Output, await context.Api(parse).PutAsync(parse.GetValue(store)!, parse.GetValue(key)!, json, ct));
            return SopCli.Ok;
        });
        return command;
    }

    public static Command Delete(CliContext context)
    {
        var store = StoreArgument();
        var key = KeyArgument();
        var command = new Command("delete", "Remove one item") { store, key };
        command.SetAction(async (parse, ct) =>
        {
            await context.Api(parse).DeleteAsync(parse.GetValue(store)!, parse.GetValue(key)!, ct);
            await context.Output.WriteLineAsync($"deleted '{parse.GetValue(key)}'");
            return SopCli.Ok;
        });
        return command;
    }

    public static Command Scan(CliContext context)
    {
        var store = StoreArgument();
        var from = new Option<string?>("--from") { Description = "First key (inclusive)" };
        var to = new Option<string?>("--to") { Description = "Last key (exclusive)" };
        var limit = new Option<int>("--limit") { Description = "Items per page (1..10000)", DefaultValueFactory = _ => 100 };
        var keysOnly = new Option<bool>("--keys-only") { Description = "Keys only (no values read)" };
        var desc = new Option<bool>("--desc") { Description = "Descending order" };
        var all = new Option<bool>("--all") { Description = "Follow the cursor to the end of the range" };
        var command = new Command("scan", "Print a key range, one JSON item per line") { store, from, to, limit, keysOnly, desc, all };
        command.Validators.Add(r =>
        {
            if (r.GetValue(limit) is < 1 or > 10_000) r.AddError("--limit must be within 1..10000");
        });
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            string? after = null;
            do
            {
                var query = new List<string> { $"limit={parse.GetValue(limit)}" };
                if (parse.GetValue(from) is { } f) query.Add("from=" + Uri.EscapeDataString(f));
                if (parse.GetValue(to) is { } t) query.Add("to=" + Uri.EscapeDataString(t));
                if (parse.GetValue(keysOnly)) query.Add("keysOnly=true");
                if (parse.GetValue(desc)) query.Add("desc=true");
                if (after is not null) query.Add("after=" + Uri.EscapeDataString(after));
                var page = await api.ScanAsync(parse.GetValue(store)!, "?" + string.Join('&', query), ct);
                foreach (var item in page?["items"] as JsonArray ?? []) await context.Output.WriteLineAsync(item?.ToJsonString());
                after = page?["next"]?.GetValue<string>();
            }
            while (after is not null && parse.GetValue(all));
            if (after is not null) await context.Error.WriteLineAsync($"more: --all, or page on with the API's after={after}");
            return SopCli.Ok;
        });
        return command;
    }
}
