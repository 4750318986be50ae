using Orleans.Concurrency;

namespace Sop.Grains.Abstractions.Compute;

/// <summary>
/// An agent: an autonomous worker placed at random on the silos. It discovers the macros as tools on each task and
/// claims sub-tasks through the database, so any number of agents on any silos share a task safely.
/// </summary>
[Alias("sop.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Works on a task until nothing is left for it to claim (fire and forget).</summary>
    [Alias("work"), OneWay]
    Task Work(string taskId);
}
