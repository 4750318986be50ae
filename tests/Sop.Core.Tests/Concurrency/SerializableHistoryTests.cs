using System.Collections.Concurrent;
using Sop.Errors;
using Sop.Tests.Support;
using Sop.Transactions;

namespace Sop.Tests.Concurrency;

/// <summary>
/// Random concurrent histories of read-then-write transactions, checked for serializability: every written value is
/// unique, so each read names the transaction it read from; the dependency graph (write-write in commit order,
/// write-read, and read-write anti-dependencies) of the committed transactions must have no cycle, and the final state
/// must be the last committed write of every key.
/// </summary>
public sealed class SerializableHistoryTests
{
    private sealed record Committed(int Id, ulong Seq, Dictionary<string, int> Reads, Dictionary<string, int> Writes);

    [Theory]
    [InlineData(StoreKind.Memory, 11)]
    [InlineData(StoreKind.Memory, 12)]
    [InlineData(StoreKind.File, 13)]
    public async Task RandomConcurrentHistory_IsSerializable(StoreKind kind, int seed)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<string, int>(new StoreOptions("h") { SlotLength = 4 });
        string[] keys = Enumerable.Range(0, 12).Select(i => $"k{i:D2}").ToArray();
        await using (var init = engine.Begin())
        {
            var s = init.OpenStore<string, int>("h");
            foreach (var k in keys) s.Add(k, 0);
            await init.CommitAsync();
        }
        var committed = new ConcurrentBag<Committed>();
        int nextId = 0, conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, 6).Select(t => Task.Run(async () =>
        {
            var rng = new Random((seed * 31) + t);
            for (int n = 0; n < 80; n++)
            {
                int id = Interlocked.Increment(ref nextId);
                var reads = new Dictionary<string, int>();
                var writes = new Dictionary<string, int>();
                await using var tx = engine.Begin();
                var s = tx.OpenStore<string, int>("h");
                try
                {
                    for (int r = rng.Next(0, 4); r > 0; r--)
                    {
                        string k = keys[rng.Next(keys.Length)];
                        Assert.True(s.TryGetValue(k, out int v));
                        reads.TryAdd(k, v);
                    }
                    if (rng.Next(2) == 0) await Task.Yield(); // widen the window between reads and commit so histories interleave
                    for (int w = rng.Next(1, 3); w > 0; w--)
                    {
                        string k = keys[rng.Next(keys.Length)];
                        int value = (id * 10) + w;
                        if (reads.ContainsKey(k)) s.Update(k, value);
                        else s.Upsert(k, value);
                        writes[k] = value;
                    }
                    await tx.CommitAsync();
                    committed.Add(new Committed(id, tx.CommitSequence!.Value, reads, writes));
                }
                catch (TransactionConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        })));

        var txs = committed.OrderBy(c => c.Seq).ToList();
        // Under load most read-then-write transactions on 12 hot keys can lose; a few dozen commits still make a real history.
        Assert.True(txs.Count > 40, $"too few commits ({txs.Count}, {conflicts} conflicts) for a meaningful check");
        var writerOf = new Dictionary<int, int> { [0] = 0 }; // value -> transaction id (0 = the initial load)
        foreach (var c in txs) foreach (var v in c.Writes.Values) writerOf[v] = c.Id;
        var versions = keys.ToDictionary(k => k, _ => new List<int> { 0 }); // per key: writer ids in commit order
        foreach (var c in txs) foreach (var k in c.Writes.Keys) versions[k].Add(c.Id);
        var edges = new Dictionary<int, HashSet<int>>();
        void Edge(int from, int to)
        {
            if (from != to) (edges.TryGetValue(from, out var set) ? set : edges[from] = []).Add(to);
        }
        foreach (var list in versions.Values) for (int i = 1; i < list.Count; i++) Edge(list[i - 1], list[i]);
        foreach (var c in txs)
        {
            foreach (var (k, v) in c.Reads)
            {
                Assert.True(writerOf.TryGetValue(v, out int w), $"transaction {c.Id} read {k}={v}, a value no committed transaction wrote");
                Edge(w, c.Id);
                var order = versions[k];
                int at = order.IndexOf(w);
                if (at + 1 < order.Count) Edge(c.Id, order[at + 1]);
            }
        }
        AssertAcyclic(edges, $"seed {seed}: {txs.Count} commits, {conflicts} conflicts");

        await using var check = engine.Begin(TransactionMode.ForReading);
        var store = check.OpenStore<string, int>("h");
        foreach (var k in keys)
        {
            int lastWriter = versions[k][^1];
            int expected = lastWriter == 0 ? 0 : txs.Single(c => c.Id == lastWriter).Writes[k];
            Assert.True(store.TryGetValue(k, out int actual));
            Assert.Equal(expected, actual);
        }
    }

    private static void AssertAcyclic(Dictionary<int, HashSet<int>> edges, string where)
    {
        var state = new Dictionary<int, int>(); // 1 = on the stack, 2 = done
        foreach (int start in edges.Keys)
        {
            if (state.ContainsKey(start)) continue;
            var stack = new Stack<(int Node, IEnumerator<int> Next)>();
            stack.Push((start, edges[start].GetEnumerator()));
            state[start] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Peek();
                if (next.MoveNext())
                {
                    int to = next.Current;
                    if (state.GetValueOrDefault(to) == 1) Assert.Fail($"dependency cycle through transactions {node} -> {to} ({where})");
                    if (state.ContainsKey(to)) continue;
                    state[to] = 1;
                    stack.Push((to, edges.TryGetValue(to, out var outs) ? outs.GetEnumerator() : Enumerable.Empty<int>().GetEnumerator()));
                }
                else
                {
                    state[node] = 2;
                    stack.Pop();
                }
            }
        }
    }
}
