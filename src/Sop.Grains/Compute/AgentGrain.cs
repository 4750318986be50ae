using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Placement;
using Sop.Compute.Hosting;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Compute;

namespace Sop.Grains.Compute;

/// <summary>
/// An agent placed at random on the silos: it works on the tasks it is told about, each to the end of what it can
/// claim. Reentrant, so one agent serves several tasks at once; a failure only leaves leases that expire and are
/// claimed again by other agents.
/// </summary>
[Reentrant]
[RandomPlacement]
internal sealed partial class AgentGrain(ISopComputeAccessor computes, ILogger<AgentGrain> logger) : Grain, IAgentGrain
{
    public async Task Work(string taskId)
    {
        try
        {
            var compute = await computes.GetComputeAsync();
            await compute.Tasks.WorkAsync(taskId, this.GetPrimaryKeyString() + "@" + RuntimeIdentity);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogWorkFailed(e, taskId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent work on task {TaskId} stopped; its leases expire and other agents take over")]
    private partial void LogWorkFailed(Exception e, string taskId);
}
