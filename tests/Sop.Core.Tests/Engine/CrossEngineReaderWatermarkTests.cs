using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Engine;

/// <summary>Replaced blobs outlive the readers of every engine on the folder (decisions.md 6), not only the deleting engine's.</summary>
public sealed class CrossEngineReaderWatermarkTests
{
    [Fact]
    public async Task OldValueBlob_StaysWhileAReaderOfAnotherEngineMayNeedIt()
    {
        using var h = new EngineHarness(StoreKind.Memory);
        await using var a = await h.OpenAsync();
        await using var b = await h.OpenAsync();
        await a.CreateStoreAsync<int, string>(new StoreOptions("w"));
        string v1 = new('1', 10_000), v2 = new('2', 10_000); // large: each in its own value blob
        await using (var tx = b.Begin())
        {
            tx.OpenStore<int, string>("w").Add(1, v1);
            await tx.CommitAsync();
        }
        var reader = a.Begin(TransactionMode.ForReading);
        var r = reader.OpenStore<int, string>("w");
        Assert.True(r.Find(1)); // pins the leaf naming v1's blob, value not read yet

        await using (var tx = b.Begin())
        {
            tx.OpenStore<int, string>("w").Update(1, v2);
            await tx.CommitAsync();
        }
        await b.CheckpointAsync(); // would reclaim v1's blob if only b's own readers counted

        Assert.Equal(v1, r.CurrentValue);
        await reader.DisposeAsync();
        await using (var tx = b.Begin())
        {
            tx.OpenStore<int, string>("w").Update(1, v2 + "!");
            await tx.CommitAsync();
        }
        await b.CheckpointAsync();
        await using var check = a.Begin(TransactionMode.ForReading);
        Assert.True(check.OpenStore<int, string>("w").TryGetValue(1, out var now));
        Assert.Equal(v2 + "!", now);
    }
}
