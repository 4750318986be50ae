using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Regressions;

/// <summary>
/// Bug (found in review): an update after a blind upsert of the same key in one transaction recorded the version the
/// upsert produced, so a concurrent change to that item made the merge conflict, although an upsert never conflicts.
/// </summary>
public sealed class UpsertThenUpdateReplayRegressionTests
{
    [Fact]
    public async Task UpsertThenUpdate_OfAConcurrentlyChangedItem_MergesInsteadOfConflicting()
    {
        using var h = new EngineHarness(StoreKind.Memory);
        await using var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<string, int>(new StoreOptions("u"));
        await using (var init = engine.Begin())
        {
            init.OpenStore<string, int>("u").Add("k", 0);
            await init.CommitAsync();
        }
        var tx = engine.Begin();
        var s = tx.OpenStore<string, int>("u");
        s.Upsert("k", 5);
        s.Update("k", 6);
        await using (var other = engine.Begin())
        {
            other.OpenStore<string, int>("u").Update("k", 100);
            await other.CommitAsync();
        }
        await tx.CommitAsync(); // blind writes: last writer wins, no conflict
        await using var check = engine.Begin(TransactionMode.ForReading);
        Assert.True(check.OpenStore<string, int>("u").TryGetValue("k", out int v));
        Assert.Equal(6, v);
    }
}
