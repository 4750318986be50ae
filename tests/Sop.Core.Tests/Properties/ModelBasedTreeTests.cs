using Sop.Tests.Support;
using Sop.Transactions;
using Sop.Trees;
using Xunit.Abstractions;

namespace Sop.Tests.Properties;

/// <summary>
/// Random operation sequences against a <see cref="SortedDictionary{TKey, TValue}"/> model: after every commit,
/// rollback and reopen the store's content, cursor walks and tree invariants must match the model.
/// </summary>
public sealed class ModelBasedTreeTests(ITestOutputHelper output)
{
    private static readonly IComparer<string> Order = Utf8OrdinalComparer.Instance;

    [Theory]
    [InlineData(4, 3400)]
    [InlineData(8, 3400)]
    [InlineData(500, 3400)]
    public async Task ManyShortSequences_MatchModel(int slotLength, int sequences)
    {
        for (int seq = 0; seq < sequences; seq++)
        {
            int seed = (slotLength * 1_000_003) + seq;
            await RunSequence(seed, slotLength, StoreKind.Memory, ops: 40, keySpace: 60);
        }
    }

    [Theory]
    [InlineData(4, StoreKind.Memory)]
    [InlineData(8, StoreKind.File)]
    [InlineData(5, StoreKind.Memory)]
    public async Task LongSequences_WithMergesAndSplits_MatchModel(int slotLength, StoreKind kind)
    {
        for (int seq = 0; seq < 3; seq++) await RunSequence(77 + seq, slotLength, kind, ops: 6000, keySpace: 1500);
    }

    private async Task RunSequence(int seed, int slotLength, StoreKind kind, int ops, int keySpace)
    {
        var rng = new Random(seed);
        using var h = new EngineHarness(kind);
        var committed = new SortedDictionary<string, int>(Order);
        var engine = await h.OpenAsync();
        try
        {
            await engine.CreateStoreAsync<string, int>(new StoreOptions("p") { SlotLength = slotLength, ValueInNode = rng.Next(4) != 0 });
            var model = new SortedDictionary<string, int>(committed, Order);
            var tx = engine.Begin();
            var tree = tx.OpenStore<string, int>("p");
            for (int step = 0; step < ops; step++)
            {
                string key = "k" + rng.Next(keySpace).ToString("D5");
                int value = rng.Next(1_000_000);
                int op = rng.Next(100);
                string where = $"seed {seed}, slot {slotLength}, step {step}, key {key}";
                if (op < 35)
                {
                    bool added = tree.Add(key, value);
                    Assert.True(added == model.TryAdd(key, value), $"Add mismatch at {where}");
                }
                else if (op < 50)
                {
                    bool added = tree.Upsert(key, value);
                    Assert.True(added == !model.ContainsKey(key), $"Upsert mismatch at {where}");
                    model[key] = value;
                }
                else if (op < 60)
                {
                    bool updated = tree.Update(key, value);
                    Assert.True(updated == model.ContainsKey(key), $"Update mismatch at {where}");
                    if (updated) model[key] = value;
                }
                else if (op < 85)
                {
                    bool removed = tree.Remove(key);
                    Assert.True(removed == model.Remove(key), $"Remove mismatch at {where}");
                }
                else if (op < 90)
                {
                    bool found = tree.TryGetValue(key, out int got);
                    Assert.True(found == model.TryGetValue(key, out int expected), $"Get mismatch at {where}");
                    if (found) Assert.True(got == expected, $"Get value mismatch at {where}");
                }
                else if (op < 95)
                {
                    CheckEqual(tree, model, where + " (before commit)");
                    await tx.CommitAsync();
                    committed = new SortedDictionary<string, int>(model, Order);
                    Assert.Equal(committed.Count, engine.GetCount("p"));
                    (tx, tree) = Begin(engine);
                }
                else if (op < 98)
                {
                    await tx.RollbackAsync();
                    model = new SortedDictionary<string, int>(committed, Order);
                    (tx, tree) = Begin(engine);
                    CheckEqual(tree, model, where + " (after rollback)");
                }
                else
                {
                    await tx.CommitAsync();
                    committed = new SortedDictionary<string, int>(model, Order);
                    await engine.DisposeAsync();
                    engine = await h.OpenAsync();
                    (tx, tree) = Begin(engine);
                    CheckEqual(tree, model, where + " (after reopen)");
                }
            }
            CheckEqual(tree, model, $"seed {seed} end");
            await tx.CommitAsync();
            await engine.DisposeAsync();
            engine = await h.OpenAsync();
            (tx, tree) = Begin(engine);
            CheckEqual(tree, model, $"seed {seed} final reopen");
            Assert.Equal(model.Count, engine.GetCount("p"));
            await tx.RollbackAsync();
        }
        catch
        {
            output.WriteLine($"failing sequence: seed {seed}, slot length {slotLength}, kind {kind}");
            throw;
        }
        finally
        {
            await engine.DisposeAsync();
        }
    }

    private static (Transaction, BTree<string, int>) Begin(SopEngine engine)
    {
        var tx = engine.Begin();
        return (tx, tx.OpenStore<string, int>("p"));
    }

    private static void CheckEqual(BTree<string, int> tree, SortedDictionary<string, int> model, string where)
    {
        Assert.True(tree.CheckInvariants() == model.Count, $"item count in tree differs from model at {where}");
        Assert.True(tree.Count == model.Count, $"Count differs from model at {where}");
        var scanned = tree.Scan().Select(i => new KeyValuePair<string, int>(i.Key, i.Value)).ToList();
        Assert.True(scanned.SequenceEqual(model), $"forward scan differs from model at {where}");
        var backward = tree.Scan(descending: true).Select(i => i.Key).ToList();
        Assert.True(backward.SequenceEqual(model.Keys.Reverse()), $"backward scan differs at {where}");
        // cursor walk both ways
        var walked = new List<string>();
        for (bool ok = tree.First(); ok; ok = tree.Next()) walked.Add(tree.CurrentKey);
        Assert.True(walked.SequenceEqual(model.Keys), $"cursor walk differs at {where}");
        walked.Clear();
        for (bool ok = tree.Last(); ok; ok = tree.Previous()) walked.Add(tree.CurrentKey);
        Assert.True(walked.SequenceEqual(model.Keys.Reverse()), $"reverse cursor walk differs at {where}");
        // a range
        if (model.Count > 2)
        {
            var keys = model.Keys.ToList();
            string from = keys[keys.Count / 3], to = keys[2 * keys.Count / 3];
            var expected = keys.Where(k => Order.Compare(k, from) >= 0 && Order.Compare(k, to) < 0).ToList();
            Assert.True(tree.Scan(KeyRange<string>.Between(from, to)).Select(i => i.Key).SequenceEqual(expected), $"range scan differs at {where}");
            Assert.True(tree.Scan(KeyRange<string>.Between(from, to), descending: true).Select(i => i.Key).SequenceEqual(Enumerable.Reverse(expected)),
                $"descending range scan differs at {where}");
        }
    }
}
