using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Sop.Cli.Commands;

/// <summary><c>sop task submit|status</c>: fire-and-forget work for the agent swarm, with a live progress bar.</summary>
internal static class TaskCommands
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create(CliContext context)
    {
        var task = new Command("task", "Submit tasks to the agent swarm and follow them");

        var macro = new Option<string?>("--macro") { Description = "The macro to run once per input" };
        var inputs = new Option<FileInfo?>("--inputs") { Description = "JSON lines: one argument object per sub-task" };
        var goal = new Option<string?>("--goal") { Description = "A goal in words (alone: the LLM planner splits it)" };
        var detach = new Option<bool>("--detach") { Description = "Print the task id and return at once" };
        var submit = new Command("submit", "Submit a task; follows its progress until it ends unless --detach") { macro, inputs, goal, detach };
        submit.Validators.Add(r =>
        {
            if (r.GetValue(macro) is null && r.GetValue(goal) is null) r.AddError("give --macro with --inputs, or --goal");
            if (r.GetValue(macro) is not null && r.GetValue(inputs) is null) r.AddError("--macro needs --inputs (a JSON-lines file)");
        });
        submit.SetAction(async (parse, ct) =>
        {
            var body = new JsonObject();
            if (parse.GetValue(macro) is { } m) body["macro"] = m;
            if (parse.GetValue(goal) is { } g) body["goal"] = g;
            if (parse.GetValue(inputs) is { } file) body["inputs"] = ReadInputs(file);
            var api = context.Api(parse);
            string id = (await api.SubmitTaskAsync(body, ct))?["id"]?.GetValue<string>() ?? throw new InvalidDataException("the server answered without a task id");
            if (parse.GetValue(detach))
            {
                await context.Output.WriteLineAsync(id);
                return SopCli.Ok;
            }
            await context.Error.WriteLineAsync($"task {id}");
            var final = await FollowAsync(context, api, id, ct);
            await Json.WriteAsync(context.Output, final);
            return final?["status"]?.GetValue<string>() == "completed" ? SopCli.Ok : SopCli.Failure;
        });

        var id = new Argument<string>("id") { Description = "The task id" };
        var status = new Command("status", "Print a task's progress, results and errors") { id };
        status.SetAction(async (parse, ct) =>
        {
            await Json.WriteAsync(context.Output, await context.Api(parse).GetTaskAsync(parse.GetValue(id)!, ct));
            return SopCli.Ok;
        });

        task.Subcommands.Add(submit);
        task.Subcommands.Add(status);
        return task;
    }

    private static JsonArray ReadInputs(FileInfo file)
    {
        if (!file.Exists) throw new InvalidDataException($"inputs file '{file.FullName}' does not exist");
        var list = new JsonArray();
        int line = 0;
        foreach (string text in File.ReadLines(file.FullName))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            list.Add(Json.Parse(text, $"line {line} of the inputs") as JsonObject ?? throw new InvalidDataException($"line {line} of the inputs is not a JSON object"));
        }
        return list;
    }

    /// <summary>Polls the task until it ends: a progress bar on a terminal, a line per change otherwise.</summary>
    private static async Task<JsonNode?> FollowAsync(CliContext context, Api.SopApiClient api, string id, CancellationToken ct)
    {
        JsonNode? view = await api.GetTaskAsync(id, ct);
        if (context.Console.Profile.Capabilities.Interactive)
        {
            await context.Console.Progress().AutoClear(false).StartAsync(async progress =>
            {
                var bar = progress.AddTask($"task {id}", maxValue: 1);
                while (true)
                {
                    int total = Int(view, "total"), done = Int(view, "completed") + Int(view, "failed");
                    bar.MaxValue = Math.Max(total, 1);
                    bar.Value = done;
                    if (Ended(view)) return;
                    await Task.Delay(PollInterval, ct);
                    view = await api.GetTaskAsync(id, ct);
                }
            });
            return view;
        }
        string last = "";
        while (true)
        {
            string line = $"{view?["status"]} {Int(view, "completed")} completed, {Int(view, "failed")} failed of {Int(view, "total")}";
            if (line != last) await context.Error.WriteLineAsync(line);
            last = line;
            if (Ended(view)) return view;
            await Task.Delay(PollInterval, ct);
            view = await api.GetTaskAsync(id, ct);
        }
    }

    private static bool Ended(JsonNode? view) => view?["status"]?.GetValue<string>() is "completed" or "failed" or "cancelled";

    private static int Int(JsonNode? view, string field) => view?[field]?.GetValue<int>() ?? 0;
}
