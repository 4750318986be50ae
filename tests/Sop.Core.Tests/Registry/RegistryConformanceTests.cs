using System.Collections.Concurrent;
using Sop.Ids;
using Sop.Registry;

namespace Sop.Tests.Registry;

/// <summary>
/// The behaviour every <see cref="IRegistry"/> shares. Each implementation subclasses this in a few lines; every test
/// gets a fresh registry (and, for the file-backed ones, its own temp folder).
/// </summary>
public abstract class RegistryConformanceTests : IDisposable
{
    private IRegistry? _registry;

    /// <summary>The registry under test, created on first use.</summary>
    protected IRegistry Registry => _registry ??= CreateRegistry();

    /// <summary>Creates a fresh, empty registry (called once per test).</summary>
    protected abstract IRegistry CreateRegistry();

    /// <summary>Swaps in another registry (after a reopen); the caller disposed the old one.</summary>
    protected void ReplaceRegistry(IRegistry registry) => _registry = registry;

    /// <summary>Frees what the subclass holds beyond the registry (runs after the registry is disposed).</summary>
    protected virtual void Cleanup()
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _registry?.Dispose();
        Cleanup();
        GC.SuppressFinalize(this);
    }

    protected static NodeId NewNodeId(Random rnd)
    {
        Span<byte> b = stackalloc byte[16];
        rnd.NextBytes(b);
        return new NodeId(new Guid(b));
    }

    protected static BlobId NewBlobId(Random rnd)
    {
        Span<byte> b = stackalloc byte[16];
        rnd.NextBytes(b);
        return new BlobId(new Guid(b));
    }

    protected static Handle[] NewHandles(Random rnd, int count) =>
        Enumerable.Range(0, count).Select(_ => Handle.ForNew(NewNodeId(rnd), NewBlobId(rnd))).ToArray();

    /// <summary>Asserts the registry holds exactly the model's handles (lookups and scan).</summary>
    protected void AssertMatches(IReadOnlyDictionary<NodeId, Handle> model, IEnumerable<NodeId> absent, string context)
    {
        // Messages are built only on failure: these loops run thousands of times.
        foreach (var (id, expected) in model)
        {
            if (!Registry.TryGet(id, out var actual)) Assert.Fail($"{context}: id {id} missing");
            if (expected != actual) Assert.Fail($"{context}: id {id} expected {expected} but found {actual}");
        }
        foreach (var id in absent)
        {
            if (!model.ContainsKey(id) && Registry.TryGet(id, out var found)) Assert.Fail($"{context}: id {id} should be absent but found {found}");
        }
        var scan = Registry.Scan();
        if (scan.Count != model.Count) Assert.Fail($"{context}: scan has {scan.Count} handles, model {model.Count}");
        foreach (var h in scan)
            if (!model.TryGetValue(h.LogicalId, out var m) || m != h) Assert.Fail($"{context}: scan returned unexpected {h}");
        if (scan.Select(h => h.LogicalId).Distinct().Count() != scan.Count) Assert.Fail($"{context}: scan returned an id twice");
    }

    [Fact]
    public void EmptyRegistry_FindsNothing()
    {
        Assert.False(Registry.TryGet(NodeId.New(), out var h));
        Assert.Equal(default, h);
        Assert.Empty(Registry.Scan());
    }

    [Fact]
    public void InsertedHandle_IsFoundUnchanged()
    {
        var h = Handle.ForNew(NodeId.New(), BlobId.New());
        Registry.Write([h]);
        Assert.True(Registry.TryGet(h.LogicalId, out var found));
        Assert.Equal(h, found);
        Assert.Equal(h, Assert.Single(Registry.Scan()));
    }

    [Fact]
    public void HandleWithEveryFieldSet_RoundTrips()
    {
        var h = new Handle(NodeId.New(), BlobId.New(), BlobId.New(), IsActiveB: true, Version: uint.MaxValue,
            WorkInProgressUnixSeconds: uint.MaxValue - 1, IsDeleted: false);
        Registry.Write([h]);
        Assert.True(Registry.TryGet(h.LogicalId, out var found));
        Assert.Equal(h, found);
    }

    [Fact]
    public void FlippedHandle_ReplacesUnderSameLogicalId()
    {
        var id = NodeId.New();
        BlobId b1 = BlobId.New(), b2 = BlobId.New(), b3 = BlobId.New();
        var v1 = Handle.ForNew(id, b1);
        Registry.Write([v1]);

        var v2 = v1.Flip(b2);
        Registry.Write([v2]);
        Assert.True(Registry.TryGet(id, out var found));
        Assert.Equal(v2, found);
        Assert.Equal((b2, b1, 2u, true), (found.Active, found.Inactive, found.Version, found.IsActiveB));

        var v3 = v2.Flip(b3);
        Registry.Write([v3]);
        Assert.True(Registry.TryGet(id, out found));
        Assert.Equal(v3, found);
        Assert.Equal((b3, b2, 3u, false), (found.Active, found.Inactive, found.Version, found.IsActiveB));
        Assert.Equal((b3, b2), (found.PhysicalA, found.PhysicalB));
        Assert.Equal(v3, Assert.Single(Registry.Scan()));
    }

    [Fact]
    public void WorkInProgressMark_IsStoredAndClearedByFlip()
    {
        var v1 = Handle.ForNew(NodeId.New(), BlobId.New());
        var marked = v1 with { WorkInProgressUnixSeconds = 1_700_000_000 };
        Registry.Write([v1]);
        Registry.Write([marked]);
        Assert.True(Registry.TryGet(v1.LogicalId, out var found));
        Assert.Equal(marked, found);

        Registry.Write([marked.Flip(BlobId.New())]);
        Assert.True(Registry.TryGet(v1.LogicalId, out found));
        Assert.Equal(0u, found.WorkInProgressUnixSeconds);
        Assert.Equal(2u, found.Version);
    }

    [Fact]
    public void DeletedHandle_IsAbsentFromLookupAndScan()
    {
        var keep = Handle.ForNew(NodeId.New(), BlobId.New());
        var gone = Handle.ForNew(NodeId.New(), BlobId.New());
        Registry.Write([keep, gone]);
        Registry.Write([gone.AsDeleted()]);
        Assert.False(Registry.TryGet(gone.LogicalId, out var found));
        Assert.Equal(default, found);
        Assert.True(Registry.TryGet(keep.LogicalId, out _));
        Assert.Equal(keep, Assert.Single(Registry.Scan()));
    }

    [Fact]
    public void ReinsertAfterDelete_IsFound()
    {
        var v1 = Handle.ForNew(NodeId.New(), BlobId.New());
        Registry.Write([v1]);
        Registry.Write([v1.AsDeleted()]);
        var again = Handle.ForNew(v1.LogicalId, BlobId.New());
        Registry.Write([again]);
        Assert.True(Registry.TryGet(v1.LogicalId, out var found));
        Assert.Equal(again, found);
        Assert.Equal(again, Assert.Single(Registry.Scan()));
    }

    [Fact]
    public void DeleteTwice_StaysAbsent()
    {
        var v1 = Handle.ForNew(NodeId.New(), BlobId.New());
        Registry.Write([v1]);
        Registry.Write([v1.AsDeleted()]);
        Registry.Write([v1.AsDeleted().AsDeleted()]);
        Assert.False(Registry.TryGet(v1.LogicalId, out _));
        Assert.Empty(Registry.Scan());
    }

    [Fact]
    public void DeleteOfUnknownId_IsNoOp()
    {
        var other = Handle.ForNew(NodeId.New(), BlobId.New());
        Registry.Write([other]);
        var ghost = Handle.ForNew(NodeId.New(), BlobId.New()).AsDeleted();
        Registry.Write([ghost]);
        Assert.False(Registry.TryGet(ghost.LogicalId, out _));
        Assert.Equal(other, Assert.Single(Registry.Scan()));
    }

    [Fact]
    public void BatchWithSameIdTwice_LastWins()
    {
        var v1 = Handle.ForNew(NodeId.New(), BlobId.New());
        var v2 = v1.Flip(BlobId.New());
        Registry.Write([v1, v2]);
        Assert.True(Registry.TryGet(v1.LogicalId, out var found));
        Assert.Equal(v2, found);

        var v3 = Handle.ForNew(v1.LogicalId, BlobId.New());
        Registry.Write([v2.AsDeleted(), v3]);
        Assert.True(Registry.TryGet(v1.LogicalId, out found));
        Assert.Equal(v3, found);

        var x = Handle.ForNew(NodeId.New(), BlobId.New());
        Registry.Write([x, x.AsDeleted()]);
        Assert.False(Registry.TryGet(x.LogicalId, out _));
        Assert.Equal(v3, Assert.Single(Registry.Scan()));
    }

    [Fact]
    public void Scan_ReturnsExactlyLiveHandles()
    {
        var rnd = new Random(11);
        var model = NewHandles(rnd, 200).ToDictionary(h => h.LogicalId);
        Registry.Write(model.Values.ToArray());
        var ids = model.Keys.ToList();
        var updates = ids.Take(50).Select(id => model[id].Flip(NewBlobId(rnd))).ToArray();
        var deletes = ids.Skip(50).Take(60).Select(id => model[id].AsDeleted()).ToArray();
        var reinserts = ids.Skip(50).Take(10).Select(id => Handle.ForNew(id, NewBlobId(rnd))).ToArray();
        Registry.Write(updates);
        Registry.Write(deletes);
        Registry.Write(reinserts);
        foreach (var h in updates) model[h.LogicalId] = h;
        foreach (var h in deletes) model.Remove(h.LogicalId);
        foreach (var h in reinserts) model[h.LogicalId] = h;

        AssertMatches(model, ids, "after updates, deletes and reinserts");
    }

    [Fact]
    public void RecoveryLookup_ReportsFoundAndAbsent()
    {
        var live = Handle.ForNew(NodeId.New(), BlobId.New());
        var gone = Handle.ForNew(NodeId.New(), BlobId.New());
        Registry.Write([live, gone]);
        Registry.Write([gone.AsDeleted()]);
        Assert.Equal(RecoveryLookup.Found, Registry.TryGetForRecovery(live.LogicalId, out var found));
        Assert.Equal(live, found);
        Assert.Equal(RecoveryLookup.Absent, Registry.TryGetForRecovery(gone.LogicalId, out _));
        Assert.Equal(RecoveryLookup.Absent, Registry.TryGetForRecovery(NodeId.New(), out _));
    }

    [Fact]
    public void RefreshWithoutOtherWriters_ChangesNothing()
    {
        var hs = NewHandles(new Random(6), 20);
        Registry.Write(hs);
        Registry.Refresh();
        foreach (var h in hs)
        {
            Assert.True(Registry.TryGet(h.LogicalId, out var found));
            Assert.Equal(h, found);
        }
        Assert.Equal(hs.Length, Registry.Scan().Count);
    }

    [Fact]
    public void Flush_KeepsEverythingReadable()
    {
        var hs = NewHandles(new Random(5), 20);
        Registry.Write(hs);
        Registry.Flush();
        Registry.Flush();
        foreach (var h in hs)
        {
            Assert.True(Registry.TryGet(h.LogicalId, out var found));
            Assert.Equal(h, found);
        }
    }

    [Fact]
    public void LookupsDuringWrites_AlwaysFindPublishedHandles()
    {
        // IRegistry is thread-safe: lock-free readers must see every handle written before, across growths too.
        var handles = NewHandles(new Random(21), 2_000);
        var registry = Registry;
        var failures = new ConcurrentQueue<string>();
        int published = 0, done = 0;
        var readers = Enumerable.Range(0, 2).Select(r => new Thread(() =>
        {
            var rnd = new Random(100 + r);
            while (Volatile.Read(ref done) == 0 && failures.IsEmpty)
            {
                int n = Volatile.Read(ref published);
                if (n == 0) continue;
                var h = handles[rnd.Next(n)];
                try
                {
                    if (!registry.TryGet(h.LogicalId, out var got) || got != h)
                        failures.Enqueue($"reader {r}: id {h.LogicalId} (index < {n}) missing or wrong: {got}");
                }
                catch (Exception e)
                {
                    failures.Enqueue($"reader {r}: id {h.LogicalId}: {e}");
                }
            }
        })).ToList();
        readers.ForEach(t => t.Start());
        try
        {
            for (int i = 0; i < handles.Length && failures.IsEmpty; i += 10)
            {
                registry.Write(handles.AsSpan(i, 10));
                Volatile.Write(ref published, i + 10);
            }
        }
        finally
        {
            Volatile.Write(ref done, 1);
            readers.ForEach(t => t.Join());
        }
        Assert.True(failures.IsEmpty, failures.FirstOrDefault());
        Assert.Equal(handles.Length, registry.Scan().Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20240611)]
    public void RandomOperations_MatchDictionaryModel(int seed)
    {
        var rnd = new Random(seed);
        var model = new Dictionary<NodeId, Handle>();
        var known = new List<NodeId>(); // every id ever written, deleted ones included
        var batch = new List<Handle>();
        for (int step = 0; step < 10_000; step++)
        {
            // One commit: mostly a single handle, sometimes a batch; the model applies it in order.
            batch.Clear();
            int size = rnd.Next(10) == 0 ? rnd.Next(2, 6) : 1;
            for (int i = 0; i < size; i++)
            {
                int op = rnd.Next(100);
                Handle h;
                if (op < 45 || known.Count == 0)
                {
                    h = Handle.ForNew(NewNodeId(rnd), NewBlobId(rnd));
                    known.Add(h.LogicalId);
                }
                else
                {
                    var id = known[rnd.Next(known.Count)];
                    if (model.TryGetValue(id, out var current))
                        h = op < 75 ? current.Flip(NewBlobId(rnd))
                          : op < 80 ? current with { WorkInProgressUnixSeconds = (uint)rnd.Next(1, int.MaxValue) }
                          : current.AsDeleted();
                    else
                        h = op < 70 ? Handle.ForNew(id, NewBlobId(rnd)) : Handle.ForNew(id, NewBlobId(rnd)).AsDeleted();
                }
                batch.Add(h);
                if (h.IsDeleted) model.Remove(h.LogicalId);
                else model[h.LogicalId] = h;
            }

            Registry.Write(batch.ToArray());

            foreach (var h in batch)
            {
                bool expected = model.TryGetValue(h.LogicalId, out var want);
                bool actual = Registry.TryGet(h.LogicalId, out var got);
                if (expected != actual || want != got)
                    Assert.Fail($"seed {seed}, step {step}, id {h.LogicalId}: expected {(expected ? want.ToString() : "absent")} but found {(actual ? got.ToString() : "absent")}");
            }
            if (step % 2_500 == 2_499) AssertMatches(model, [], $"seed {seed}, step {step}");
        }
        AssertMatches(model, known, $"seed {seed}, end");
    }
}
