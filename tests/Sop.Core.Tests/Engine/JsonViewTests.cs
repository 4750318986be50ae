using System.Text.Json;
using Sop.Json;
using Sop.Tests.Support;
using Sop.Transactions;
using Sop.Trees;

namespace Sop.Tests.Engine;

public sealed class JsonViewTests
{
    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task JsonValues_RoundTripThroughReopen(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        string deep = string.Concat(Enumerable.Repeat("[", 64)) + "1" + string.Concat(Enumerable.Repeat("]", 64));
        var values = new[] { "null", "true", "42.5", "\"text\"", "{\"a\":{\"b\":[1,2,{\"c\":null}]}}", deep };
        await using (var engine = await h.OpenAsync())
        {
            var info = await engine.CreateJsonStoreAsync(new StoreOptions("j"));
            Assert.True(info.IsJsonStore());
            await using var tx = engine.Begin();
            var s = tx.OpenJsonStore("j");
            for (int i = 0; i < values.Length; i++) s.Add($"v{i}", JsonDocument.Parse(values[i]).RootElement.Clone());
            await tx.CommitAsync();
        }
        await using (var engine = await h.OpenAsync())
        {
            await using var tx = engine.Begin(TransactionMode.NoCheck);
            var s = tx.OpenJsonStore("j");
            for (int i = 0; i < values.Length; i++)
            {
                Assert.True(s.TryGetValue($"v{i}", out var v));
                Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(values[i]).RootElement), JsonSerializer.Serialize(v));
            }
        }
    }

    private sealed record OrderKey(string Region, int Number);

    private sealed class OrderKeyComparer : SopKeyComparer<OrderKey>
    {
        public override string Id => "test:order-key";

        public override int Compare(OrderKey? x, OrderKey? y)
        {
            int c = Utf8OrdinalComparer.Instance.Compare(x!.Region, y!.Region);
            return c != 0 ? c : x.Number.CompareTo(y.Number);
        }
    }

    [Fact]
    public async Task CompositeKeys_OrderByTheirComparer_AndTheComparerIsEnforced()
    {
        using var h = new EngineHarness(StoreKind.Memory);
        await using var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<OrderKey, string>(new StoreOptions("orders") { SlotLength = 4 }, new OrderKeyComparer());
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<OrderKey, string>("orders", new OrderKeyComparer());
            foreach (var (r, n) in new[] { ("eu", 10), ("us", 2), ("eu", 2), ("asia", 7), ("us", 1), ("eu", 3) }) s.Add(new OrderKey(r, n), $"{r}-{n}");
            await tx.CommitAsync();
        }
        await using (var tx = engine.Begin(TransactionMode.ForReading))
        {
            var s = tx.OpenStore<OrderKey, string>("orders", new OrderKeyComparer());
            Assert.Equal(["asia-7", "eu-2", "eu-3", "eu-10", "us-1", "us-2"], s.Scan().Select(i => i.Value!));
            Assert.Equal(["eu-2", "eu-3", "eu-10"], s.Scan(KeyRange<OrderKey>.Between(new("eu", 0), new("eu", int.MaxValue))).Select(i => i.Value!));
            await tx.CommitAsync();
        }
        await using (var tx = engine.Begin(TransactionMode.ForReading))
            Assert.Throws<Sop.Errors.StoreMismatchException>(() => tx.OpenStore<OrderKey, string>("orders"));
    }
}
