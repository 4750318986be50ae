using System.Text.Json.Nodes;
using Orleans.Concurrency;
using Sop.Compute.Hosting;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Compute;

namespace Sop.Grains.Compute;

/// <summary>Lists the agents the silos keep alive, each with the tools (macros) it discovers at run time.</summary>
[StatelessWorker]
internal sealed class AgentDirectoryGrain(ISopComputeAccessor computes) : Grain, IAgentDirectoryGrain
{
    /// <summary>An agent missing this many sweeps is taken for gone.</summary>
    private static readonly TimeSpan LiveWithin = 5 * SiloAgentService.SweepInterval;

    public Task<ApiReply> List() => ApiReplies.GuardAsync(async () =>
    {
        var compute = await computes.GetComputeAsync();
        var agents = await compute.Agents.ListLiveAsync(LiveWithin);
        var tools = (await compute.Tools.DescribeAsync()).Select(m => (JsonNode)ComputeJson.Summary(m)).ToArray();
        var list = new JsonArray(agents.Select(a => (JsonNode)new JsonObject
        {
            ["id"] = a.Id,
            ["silo"] = a.Silo,
            ["tools"] = new JsonArray(tools.Select(t => t.DeepClone()).ToArray()),
        }).ToArray());
        return ApiReply.Ok(list.ToJsonString());
    });
}
