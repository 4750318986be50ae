using System.Text.Json.Nodes;
using Orleans.Concurrency;
using Sop.Compute.Errors;
using Sop.Compute.Hosting;
using Sop.Errors;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Compute;

namespace Sop.Grains.Compute;

/// <summary>
/// Takes task submissions in-flight: the task is stored (one transaction) and the reply goes back at once; then
/// agents placed at random over the silos are told, fire and forget, to work on it (decisions.md 25). The silos'
/// agent services also resume unfinished tasks, so a lost notification or a dead silo only delays work.
/// </summary>
[StatelessWorker]
internal sealed class TaskGrain(ISopComputeAccessor computes) : Grain, ITaskGrain
{
    /// <summary>Agents told about a new task; each claims batches, so a few are enough to spread the work.</summary>
    internal const int AgentsPerTask = 16;

    public Task<ApiReply> Submit(string requestJson) => ApiReplies.GuardAsync(async () =>
    {
        var body = JsonNode.Parse(requestJson) as JsonObject ?? throw new InvalidArgumentException("the task body must be a JSON object");
        string? macro = OptionalString(body, "macro");
        string? goal = OptionalString(body, "goal");
        List<JsonObject>? inputs = null;
        if (body["inputs"] is { } raw)
        {
            if (raw is not JsonArray array) throw new InvalidArgumentException("'inputs' must be an array of argument objects");
            inputs = array.Select((item, i) => item as JsonObject ?? throw new InvalidArgumentException($"inputs[{i}] must be a JSON object")).ToList();
        }
        if (macro is not null && inputs is null) throw new InvalidArgumentException("a fan-out task needs 'inputs'");
        var compute = await computes.GetComputeAsync();
        string id = await compute.Tasks.SubmitAsync(new Sop.Compute.Tasks.TaskRequest(macro, inputs, goal));
        var factory = GrainFactory;
        for (int i = 0; i < AgentsPerTask; i++) _ = factory.GetGrain<IAgentGrain>($"agent-{Random.Shared.Next(1024)}").Work(id);
        return ApiReply.Ok(new JsonObject { ["id"] = id, ["status"] = "queued" }.ToJsonString());
    });

    public Task<ApiReply> Get(string id) => ApiReplies.GuardAsync(async () =>
    {
        var compute = await computes.GetComputeAsync();
        var view = await compute.Tasks.GetAsync(id) ?? throw new TaskNotFoundException($"task '{id}' does not exist");
        return ApiReply.Ok(ComputeJson.Task(view, withDetails: true).ToJsonString());
    });

    public Task<ApiReply> List() => ApiReplies.GuardAsync(async () =>
    {
        var compute = await computes.GetComputeAsync();
        var views = await compute.Tasks.ListAsync();
        return ApiReply.Ok(new JsonArray(views.Select(v => (JsonNode)ComputeJson.Task(v, withDetails: false)).ToArray()).ToJsonString());
    });

    public Task<ApiReply> Cancel(string id) => ApiReplies.GuardAsync(async () =>
    {
        var compute = await computes.GetComputeAsync();
        await compute.Tasks.CancelAsync(id);
        return ApiReply.Ok(new JsonObject { ["id"] = id, ["status"] = "cancelling" }.ToJsonString());
    });

    private static string? OptionalString(JsonObject body, string name) =>
        body[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            _ => throw new InvalidArgumentException($"'{name}' must be a string"),
        };
}
