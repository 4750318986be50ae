using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Concurrency;
using Sop.Compute.Errors;
using Sop.Compute.Hosting;
using Sop.Compute.Macros;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Compute;

namespace Sop.Grains.Compute;

/// <summary>Runs macro calls in-flight on whichever silo received them (a thin adapter over Sop.Compute).</summary>
[StatelessWorker]
internal sealed class MacroGrain(ISopComputeAccessor computes) : Grain, IMacroGrain
{
    public Task<ApiReply> Put(string name, string definitionJson) => ApiReplies.GuardAsync(async () =>
    {
        CheckName(name);
        var definition = JsonSerializer.Deserialize<MacroDefinition>(definitionJson, MacroJson.Options)
            ?? throw new InvalidMacroException("the macro body must be a JSON object");
        var macro = definition with { Name = name };
        var compute = await computes.GetComputeAsync();
        bool created = await compute.Macros.PutAsync(macro);
        return ApiReply.Ok(ComputeJson.Macro(macro), created);
    });

    public Task<ApiReply> Get(string name) => ApiReplies.GuardAsync(async () =>
    {
        CheckName(name);
        var compute = await computes.GetComputeAsync();
        var macro = await compute.Macros.GetAsync(name) ?? throw new MacroNotFoundException($"macro '{name}' does not exist");
        return ApiReply.Ok(ComputeJson.Macro(macro));
    });

    public Task<ApiReply> List() => ApiReplies.GuardAsync(async () =>
    {
        var compute = await computes.GetComputeAsync();
        var macros = await compute.Macros.ListAsync();
        return ApiReply.Ok(new JsonArray(macros.Select(m => (JsonNode)ComputeJson.Summary(m)).ToArray()).ToJsonString());
    });

    public Task<ApiReply> Delete(string name) => ApiReplies.GuardAsync(async () =>
    {
        CheckName(name);
        var compute = await computes.GetComputeAsync();
        if (!await compute.Macros.DeleteAsync(name)) throw new MacroNotFoundException($"macro '{name}' does not exist");
        return ApiReply.Ok("null");
    });

    public Task<ApiReply> Run(string name, string argsJson) => ApiReplies.GuardAsync(async () =>
    {
        CheckName(name);
        var args = JsonNode.Parse(argsJson) as JsonObject ?? throw new InvalidMacroArgumentsException("args must be a JSON object");
        var compute = await computes.GetComputeAsync();
        var run = await compute.Runner.RunAsync(name, args);
        return ApiReply.Ok(new JsonObject { ["result"] = run.Result?.DeepClone(), ["committed"] = run.Committed }.ToJsonString());
    });

    /// <summary>A name outside the rule is a bad request (400), not an unknown macro (404).</summary>
    private static void CheckName(string name)
    {
        if (!MacroNames.IsValid(name)) throw new InvalidMacroException($"'{name}' is not a valid macro name (1-64 characters of A-Z a-z 0-9 _ -)");
    }
}
