using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Sop.Compute.Running;
using Sop.Hosting;

namespace Sop.Compute.Hosting;

/// <summary>Builds the compute swarm once the engine is open (one per process; it is stateless apart from caches).</summary>
internal sealed class SopComputeAccessor(ISopEngineAccessor engines, IOptions<ComputeOptions> options, IChatClient? chat = null) : ISopComputeAccessor
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SopCompute? _compute;

    public async ValueTask<SopCompute> GetComputeAsync(CancellationToken cancellationToken = default)
    {
        if (_compute is { } built) return built;
        var engine = await engines.GetEngineAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _compute ??= new SopCompute(engine, options.Value, chat);
        }
        finally
        {
            _gate.Release();
        }
    }
}
