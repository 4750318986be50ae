using Sop.Errors;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Regressions;

/// <summary>
/// Bug (found in review): a transaction that read store a, then (after a commit moved money from a to b) read store b
/// for the first time, saw b after the commit and a before it: half of a two-store commit (decisions.md 3).
/// </summary>
public sealed class MultiStoreTornReadRegressionTests
{
    [Theory]
    [InlineData(TransactionMode.ForReading)]
    [InlineData(TransactionMode.ForWriting)]
    public async Task ReadingASecondStoreAfterATwoStoreCommit_NeverShowsHalfOfIt(TransactionMode mode)
    {
        using var h = new EngineHarness(StoreKind.Memory);
        await using var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<string, int>(new StoreOptions("a"));
        await engine.CreateStoreAsync<string, int>(new StoreOptions("b"));
        await using (var init = engine.Begin())
        {
            init.OpenStore<string, int>("a").Add("k", 100);
            init.OpenStore<string, int>("b").Add("k", 0);
            await init.CommitAsync();
        }
        await using var reader = engine.Begin(mode);
        Assert.True(reader.OpenStore<string, int>("a").TryGetValue("k", out int a));
        await using (var move = engine.Begin())
        {
            var sa = move.OpenStore<string, int>("a");
            var sb = move.OpenStore<string, int>("b");
            sa.Update("k", 90);
            sb.Update("k", 10);
            await move.CommitAsync();
        }
        try
        {
            Assert.True(reader.OpenStore<string, int>("b").TryGetValue("k", out int b));
            Assert.Equal(100, a + b); // either both before the move, or both after
        }
        catch (TransactionConflictException)
        {
            Assert.False(reader.IsActive); // refused instead of answering from two states, and rolled back
        }
    }
}
