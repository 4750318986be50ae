namespace Sop.Compute.Hosting;

/// <summary>The process's compute swarm as a DI service; it waits for the engine to open.</summary>
public interface ISopComputeAccessor
{
    /// <summary>The compute swarm over the process's engine.</summary>
    ValueTask<SopCompute> GetComputeAsync(CancellationToken cancellationToken = default);
}
