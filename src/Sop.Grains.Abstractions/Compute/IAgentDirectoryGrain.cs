namespace Sop.Grains.Abstractions.Compute;

/// <summary>The agents of the cluster (at least one per silo) with the tools each can use.</summary>
[Alias("sop.IAgentDirectoryGrain")]
public interface IAgentDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The contract's <c>[{"id":...,"silo":...,"tools":[...]}]</c>.</summary>
    [Alias("list")]
    Task<ApiReply> List();
}
