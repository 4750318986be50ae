using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Sop.Compute.Tools;

namespace Sop.Compute.Tasks;

/// <summary>
/// Turns a goal into sub-tasks with the LLM: every macro is offered as a tool (function name = macro name, parameters =
/// its parameters), and each tool call in the model's answer becomes one sub-task. One agent plans (a planning lease
/// in the header); a failing LLM fails the task itself.
/// </summary>
internal static class TaskPlanner
{
    private const string Instructions =
        "You split the user's goal into calls of the given tools. Call every tool that is needed, once per piece of work, with complete arguments. Do not answer in text.";

    /// <summary>False when another agent is planning it right now.</summary>
    public static async Task<bool> TryPlanAsync(TaskService service, TaskHeader header, CancellationToken cancellationToken)
    {
        long now = service.Time.GetUtcNow().ToUnixTimeMilliseconds();
        bool mine = await service.PlanningTransactionAsync(table =>
        {
            var current = table.GetHeader(header.Id);
            if (current is null || current.Planned || current.PlanError is not null) return false;
            if (current.PlanningUntilUnixMs > now) return false;
            table.PutHeader(current with { PlanningUntilUnixMs = now + (long)service.Options.SubTaskLease.TotalMilliseconds });
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (!mine) return false;

        List<(string Macro, JsonObject Args)> calls;
        string? error = null;
        try
        {
            calls = await AskAsync(service, header.Goal ?? "", cancellationToken).ConfigureAwait(false);
            if (calls.Count == 0) error = "the model proposed no sub-task for the goal";
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            calls = [];
            error = "planning failed: " + e.Message;
        }
        await service.PlanningTransactionAsync(table =>
        {
            var current = table.GetHeader(header.Id);
            if (current is null || current.Planned) return false;
            if (error is not null)
            {
                table.PutHeader(current with { PlanError = error });
                return true;
            }
            for (int i = 0; i < calls.Count; i++)
            {
                table.PutSub(header.Id, new SubTaskRecord { Index = i, Macro = calls[i].Macro, Args = calls[i].Args, State = SubTaskState.Pending });
                table.Enqueue(header.Id, i);
            }
            table.PutHeader(current with { Planned = true, Total = calls.Count });
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<List<(string Macro, JsonObject Args)>> AskAsync(TaskService service, string goal, CancellationToken cancellationToken)
    {
        var chat = service.Chat ?? throw new Errors.NoLlmConfiguredException("no LLM configured");
        var macros = await service.Tools.DescribeAsync(cancellationToken).ConfigureAwait(false);
        var tools = macros.Select(m => (AITool)AIFunctionFactory.CreateDeclaration(m.Name, m.Description ?? m.Name, MacroToolCatalogue.SchemaOf(m))).ToList();
        var response = await chat.GetResponseAsync(
            [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, goal)],
            new ChatOptions { Tools = tools, ToolMode = ChatToolMode.Auto }, cancellationToken).ConfigureAwait(false);
        return response.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>())
            .Select(call => (call.Name, JsonSerializer.SerializeToNode(call.Arguments ?? new Dictionary<string, object?>()) as JsonObject ?? []))
            .ToList();
    }
}
