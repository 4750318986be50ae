using Sop.Tests.Support;

namespace Sop.Tests.Concurrency;

/// <summary>The concurrency suite with the standalone file-lock coordinator on the in-memory file system.</summary>
public sealed class InMemoryFileLockConcurrencyTests : ConcurrencyConformanceTests, IDisposable
{
    private readonly EngineHarness _harness = new(StoreKind.Memory);

    protected override async Task<SopEngine> OpenEngineAsync() => await _harness.OpenAsync();

    public void Dispose() => _harness.Dispose();
}

/// <summary>The concurrency suite with the standalone file-lock coordinator on the real disk (kernel OFD locks, real fsync).</summary>
public sealed class DiskFileLockConcurrencyTests : ConcurrencyConformanceTests, IDisposable
{
    private readonly EngineHarness _harness = new(StoreKind.File);

    protected override async Task<SopEngine> OpenEngineAsync() => await _harness.OpenAsync();

    public void Dispose() => _harness.Dispose();
}
