using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Engine;

/// <summary>One transaction over several stores commits all of them or none.</summary>
public sealed class MultiStoreTransactionTests
{
    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task TwoStores_CommitTogether_AndRollBackTogether(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<string, int>(new StoreOptions("orders"));
        await engine.CreateStoreAsync<string, int>(new StoreOptions("stock"));
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<string, int>("orders").Add("o1", 3);
            tx.OpenStore<string, int>("stock").Add("apples", 7);
            await tx.RollbackAsync();
        }
        Assert.Equal(0, engine.GetCount("orders") + engine.GetCount("stock"));
        await using (var tx = engine.Begin())
        {
            tx.OpenStore<string, int>("orders").Add("o1", 3);
            tx.OpenStore<string, int>("stock").Add("apples", 7);
            await tx.CommitAsync();
        }
        await using var check = engine.Begin(TransactionMode.ForReading);
        Assert.True(check.OpenStore<string, int>("orders").TryGetValue("o1", out int o) && o == 3);
        Assert.True(check.OpenStore<string, int>("stock").TryGetValue("apples", out int a) && a == 7);
    }

    [Fact]
    public async Task SameStoreNameInTwoFolders_HaveSeparateLockScopes()
    {
        using var h1 = new EngineHarness(StoreKind.File);
        using var h2 = new EngineHarness(StoreKind.File);
        await using var e1 = await h1.OpenAsync();
        await using var e2 = await h2.OpenAsync();
        Assert.NotEqual(e1.Header.DatabaseId, e2.Header.DatabaseId);
        await e1.CreateStoreAsync<string, int>(new StoreOptions("same"));
        await e2.CreateStoreAsync<string, int>(new StoreOptions("same"));
        // folder 1 holds the name lock of "same" (as during a create or delete); folder 2 is not affected
        var key = Sop.Coordination.LockKey.ForStoreName(e1.Header.DatabaseId, "same");
        Assert.True(await e1.Coordinator.TryLockAsync([key], Guid.NewGuid(), CancellationToken.None));
        Assert.True(await e2.DeleteStoreAsync("same").AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        await e2.CreateStoreAsync<string, int>(new StoreOptions("same")).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await using (var tx = e1.Begin())
        {
            tx.OpenStore<string, int>("same").Add("x", 1);
            await tx.CommitAsync();
        }
        await using (var tx = e2.Begin())
        {
            tx.OpenStore<string, int>("same").Add("x", 2);
            await tx.CommitAsync();
        }
        Assert.Equal(1, e1.GetCount("same"));
        Assert.Equal(1, e2.GetCount("same"));
    }
}
