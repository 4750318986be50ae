using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Regressions;

/// <summary>
/// Found while writing the hosting tests: a transaction ended after its engine was closed wrote its "oldest reader"
/// into the unmapped shared-counter page, an access violation that killed the whole process.
/// </summary>
public sealed class TransactionOutlivingEngineRegressionTests
{
    [Fact]
    public async Task TransactionDisposedAfterItsEngine_DoesNotTouchTheClosedSharedMemory()
    {
        using var folder = new TestFolder();
        var engine = await SopEngine.OpenAsync(new Hosting.SopEngineOptions { DataPath = folder.Path });
        await engine.CreateStoreAsync<string, int>(new StoreOptions("s"));
        var reader = engine.Begin(TransactionMode.ForReading);
        reader.OpenStore<string, int>("s").TryGetValue("x", out _);
        await engine.DisposeAsync();
        await reader.DisposeAsync(); // used to crash the process with an AccessViolationException
        Assert.Throws<ObjectDisposedException>(() => engine.Begin());
    }
}
