using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Engine;

public sealed class EngineSmokeTests
{
    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task AddCommitReopen_ValuesSurvive(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using (var engine = await h.OpenAsync())
        {
            await engine.CreateStoreAsync<string, int>(new StoreOptions("s") { SlotLength = 4 });
            await using var tx = engine.Begin();
            var s = tx.OpenStore<string, int>("s");
            for (int i = 0; i < 100; i++) Assert.True(s.Add($"k{i:D3}", i));
            Assert.False(s.Add("k005", 1));
            s.CheckInvariants();
            await tx.CommitAsync();
        }
        await using (var engine = await h.OpenAsync())
        {
            Assert.Equal(100, engine.GetCount("s"));
            await using var tx = engine.Begin(TransactionMode.ForReading);
            var s = tx.OpenStore<string, int>("s");
            Assert.Equal(100, s.CheckInvariants());
            Assert.True(s.TryGetValue("k042", out int v));
            Assert.Equal(42, v);
            Assert.Equal(Enumerable.Range(0, 100).Select(i => $"k{i:D3}"), s.Scan().Select(x => x.Key));
            Assert.Equal(Enumerable.Range(0, 100).Reverse().Select(i => $"k{i:D3}"), s.Scan(descending: true).Select(x => x.Key));
            await tx.CommitAsync();
        }
    }
}
