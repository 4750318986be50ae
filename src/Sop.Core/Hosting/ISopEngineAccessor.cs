namespace Sop.Hosting;

/// <summary>
/// The process's engine as a DI service. The engine opens (and recovers its folder) while the host starts, so callers
/// that may run earlier (an Orleans grain activated during startup) await it instead of reading a property.
/// </summary>
public interface ISopEngineAccessor
{
    /// <summary>The opened engine; waits for the host to finish opening it, and throws what opening it threw.</summary>
    ValueTask<SopEngine> GetEngineAsync(CancellationToken cancellationToken = default);
}
