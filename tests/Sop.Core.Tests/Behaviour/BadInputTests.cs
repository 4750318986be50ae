using Sop.Errors;
using Sop.Storage;
using Sop.Tests.Support;
using Sop.Transactions;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>
/// Bad input gets a specific exception with a clear message and changes nothing: store names, slot lengths, null and
/// oversize keys (decisions.md 19, 30; sop-reference §10 scenario 12/13 adapted).
/// </summary>
public sealed class BadInputTests
{
    public static TheoryData<StoreKind, string?> InvalidNames()
    {
        var data = new TheoryData<StoreKind, string?>();
        string?[] names = [null, "", "../x", "..", ".", "a/b", "a\\b", "/abs", ".x", ".macros", new string('n', 65), "a b", "caf\u00e9", "a:b", "a*b", "a%b"];
        foreach (string? n in names) data.Add(StoreKind.Memory, n);
        // on disk, the names that could escape or break the folder layout
        foreach (string? n in new[] { null, "", "../x", "..", ".", "a/b", "a\\b", "/abs", ".x", new string('n', 65) }) data.Add(StoreKind.File, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task CreateStoreWithInvalidName_ThrowsInvalidStoreNameAndCreatesNothing(StoreKind kind, string? name)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        var before = Snapshot(h.FileSystem, h.DataPath);
        var e = await Assert.ThrowsAsync<InvalidStoreNameException>(async () => await engine.CreateStoreAsync<int, int>(new StoreOptions(name!)));
        Assert.Contains("invalid store name", e.Message);
        Assert.IsAssignableFrom<InvalidArgumentException>(e);
        AssertSameSnapshot(before, Snapshot(h.FileSystem, h.DataPath));
        Assert.Empty(engine.ListStores());
        Assert.Empty(h.FileSystem.ListDirectories(engine.Layout.StoresDirectory));
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task OtherCallsWithInvalidName_RejectOrReportMissing(StoreKind kind, string? name)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        await engine.CreateStoreAsync<int, int>(new StoreOptions("x"));
        await Assert.ThrowsAsync<InvalidStoreNameException>(async () => await engine.DeleteStoreAsync(name!));
        await using (var tx = engine.Begin())
        {
            if (StoreNames.IsValidSystemName(name))
            {
                // system-store names are reachable through internal paths (OpenStore, GetCount): here they do not exist
                Assert.Throws<StoreNotFoundException>(() => engine.GetCount(name!));
                Assert.Throws<StoreNotFoundException>(() => tx.OpenStore<int, int>(name!));
            }
            else
            {
                Assert.Throws<InvalidStoreNameException>(() => engine.GetCount(name!));
                Assert.Throws<InvalidStoreNameException>(() => tx.OpenStore<int, int>(name!));
            }
            Assert.True(tx.IsActive);
        }
        Assert.Null(engine.TryGetStoreInfo(name!));
        Assert.Equal(["x"], engine.ListStores().Select(s => s.Name));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task OpenStoreWithNullName_ThrowsInvalidStoreName(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        await using var tx = engine.Begin();
        Assert.Throws<InvalidStoreNameException>(() => tx.OpenStore<int, int>(null!));
        Assert.True(tx.IsActive);
    }

    [Theory]
    [InlineData(StoreKind.File, "a")]
    [InlineData(StoreKind.File, "a..b")]
    [InlineData(StoreKind.File, "x.")]
    [InlineData(StoreKind.File, "A-Z_a-z.0-9")]
    [InlineData(StoreKind.File, "-")]
    [InlineData(StoreKind.File, "_")]
    [InlineData(StoreKind.File, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn")]
    [InlineData(StoreKind.Memory, "a..b")]
    [InlineData(StoreKind.Memory, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn")]
    public async Task CreateStoreWithValidName_WorksAndRoundTrips(StoreKind kind, string name)
    {
        Assert.True(name.Length <= 64);
        using var h = new EngineHarness(kind);
        await using (var engine = await h.OpenAsync())
        {
            await engine.CreateStoreAsync<int, string>(new StoreOptions(name));
            await CommitAsync<int, string>(engine, name, s => s.Add(1, name));
            Assert.Equal([name], engine.ListStores().Select(s => s.Name));
        }
        await using (var engine = await h.OpenAsync())
        {
            Assert.Equal([(1, name)], await ReadAllAsync<int, string>(engine, name));
            Assert.True(await engine.DeleteStoreAsync(name));
            Assert.Empty(engine.ListStores());
        }
    }

    [Theory]
    [InlineData(StoreKind.File, 3)]
    [InlineData(StoreKind.File, 0)]
    [InlineData(StoreKind.File, -1)]
    [InlineData(StoreKind.File, 10_001)]
    [InlineData(StoreKind.File, 30_000)]
    [InlineData(StoreKind.File, int.MinValue)]
    [InlineData(StoreKind.File, int.MaxValue)]
    [InlineData(StoreKind.Memory, 3)]
    [InlineData(StoreKind.Memory, 0)]
    [InlineData(StoreKind.Memory, 10_001)]
    public async Task CreateStoreWithSlotLengthOutOfRange_ThrowsInvalidSlotLengthAndCreatesNothing(StoreKind kind, int slotLength)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        var before = Snapshot(h.FileSystem, h.DataPath);
        var e = await Assert.ThrowsAsync<InvalidSlotLengthException>(async () => await engine.CreateStoreAsync<int, int>(new StoreOptions("s") { SlotLength = slotLength }));
        Assert.Contains(slotLength.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.Contains("4..10000", e.Message);
        Assert.IsAssignableFrom<InvalidArgumentException>(e);
        AssertSameSnapshot(before, Snapshot(h.FileSystem, h.DataPath));
        Assert.Null(engine.TryGetStoreInfo("s"));
    }

    [Theory]
    [InlineData(StoreKind.File, 4)]
    [InlineData(StoreKind.File, 5)]
    [InlineData(StoreKind.File, 9)]
    [InlineData(StoreKind.File, 10_000)]
    [InlineData(StoreKind.Memory, 4)]
    [InlineData(StoreKind.Memory, 7)]
    [InlineData(StoreKind.Memory, 10_000)]
    public async Task CreateStoreWithSlotLengthInRange_StoresItAsGivenAndWorks(StoreKind kind, int slotLength)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await h.OpenAsync();
        var info = await engine.CreateStoreAsync<int, int>(new StoreOptions("s") { SlotLength = slotLength });
        Assert.Equal(slotLength, info.SlotLength);
        await CommitAsync<int, int>(engine, "s", s =>
        {
            for (int i = 0; i < 100; i++) s.Add(i, i);
            Assert.Equal(100, s.CheckInvariants());
        });
        Assert.Equal(100, engine.GetCount("s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task NullKey_ThrowsInvalidKeyForEveryOperation(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<string, int>(h, new StoreOptions("s") { UniqueKeys = false });
        await CommitAsync<string, int>(engine, "s", s => s.Add("a", 1));
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<string, int>("s");
            var ops = new Action[]
            {
                () => s.Add(null!, 1), () => s.AddIfNotExist(null!, 1), () => s.Update(null!, 1), () => s.Upsert(null!, 1),
                () => s.Remove(null!), () => s.Find(null!), () => s.TryGetValue(null!, out _),
            };
            foreach (var op in ops)
            {
                var e = Assert.Throws<InvalidKeyException>(op);
                Assert.Contains("null", e.Message);
            }
            Assert.True(tx.IsActive);
            Assert.True(s.Add("b", 2));
            await tx.CommitAsync();
        }
        Assert.Equal([("a", 1), ("b", 2)], await ReadAllAsync<string, int>(engine, "s"));
    }

    public static TheoryData<StoreKind, string> OversizeKeys()
    {
        var data = new TheoryData<StoreKind, string>();
        string[] keys = [new string('a', 1025), new string('\u20ac', 342), new string('a', 1023) + "\u00e9", string.Concat(Enumerable.Repeat("\U0001F600", 257)), new string('x', 100_000)];
        foreach (string k in keys) data.Add(StoreKind.Memory, k);
        data.Add(StoreKind.File, keys[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(OversizeKeys))]
    public async Task KeyOver1024Utf8Bytes_ThrowsInvalidKeyAndChangesNothing(StoreKind kind, string key)
    {
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(key) > 1024);
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<string, int>(h, new StoreOptions("s") { SlotLength = 4 });
        await CommitAsync<string, int>(engine, "s", s => s.Add("ok", 1));
        await using (var tx = engine.Begin())
        {
            var s = tx.OpenStore<string, int>("s");
            var ops = new Action[]
            {
                () => s.Add(key, 1), () => s.AddIfNotExist(key, 1), () => s.Update(key, 1), () => s.Upsert(key, 1),
                () => s.Remove(key), () => s.Find(key), () => s.TryGetValue(key, out _),
            };
            foreach (var op in ops)
            {
                var e = Assert.Throws<InvalidKeyException>(op);
                Assert.Contains("1024", e.Message);
            }
            Assert.Equal(1, s.Count);
            Assert.True(tx.IsActive);
            await tx.CommitAsync();
        }
        Assert.Equal([("ok", 1)], await ReadAllAsync<string, int>(engine, "s"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task KeyOfExactly1024Utf8Bytes_IsAcceptedAndRoundTrips(StoreKind kind)
    {
        string[] keys =
        [
            new string('a', 1024),
            new string('\u20ac', 341) + "a", // 1023 + 1
            string.Concat(Enumerable.Repeat("\U0001F600", 256)), // 512 chars, 1024 bytes
            new string('b', 1022) + "\u00e9",
        ];
        Assert.All(keys, k => Assert.Equal(1024, System.Text.Encoding.UTF8.GetByteCount(k)));
        using var h = new EngineHarness(kind);
        await using (var engine = await OpenWithStoreAsync<string, int>(h, new StoreOptions("s") { SlotLength = 4 }))
        {
            await CommitAsync<string, int>(engine, "s", s =>
            {
                for (int i = 0; i < keys.Length; i++) Assert.True(s.Add(keys[i], i));
            });
        }
        await using (var engine = await h.OpenAsync())
        {
            await using var tx = engine.Begin(TransactionMode.ForReading);
            var s = tx.OpenStore<string, int>("s");
            for (int i = 0; i < keys.Length; i++)
            {
                Assert.True(s.Find(keys[i]));
                Assert.Equal(keys[i], s.CurrentKey);
                Assert.Equal(i, s.CurrentValue);
            }
            Assert.Equal(keys.Length, s.CheckInvariants());
            await tx.CommitAsync();
        }
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task OversizeSerializedNonStringKey_ThrowsInvalidKey(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using var engine = await OpenWithStoreAsync<NameKey, int>(h, new StoreOptions("k"));
        await using var tx = engine.Begin();
        var k = tx.OpenStore<NameKey, int>("k");
        Assert.True(k.Add(new NameKey("short"), 1));
        Assert.Throws<InvalidKeyException>(() => k.Add(new NameKey(new string('z', 1100)), 2));
        Assert.Throws<InvalidKeyException>(() => k.Find(new NameKey(new string('z', 1100))));
        Assert.Throws<InvalidKeyException>(() => k.Add(null!, 3));
        await tx.CommitAsync();
        Assert.Equal(1, engine.GetCount("k"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task AfterEveryKindOfBadInput_FolderReopensIntactWithAllCommittedData(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        await using (var engine = await OpenWithStoreAsync<string, string>(h, new StoreOptions("s") { SlotLength = 4 }))
        {
            await CommitAsync<string, string>(engine, "s", s =>
            {
                for (int i = 0; i < 50; i++) s.Add($"k{i:D2}", $"v{i}");
            });
            await Assert.ThrowsAsync<InvalidStoreNameException>(async () => await engine.CreateStoreAsync<int, int>(new StoreOptions("../s")));
            await Assert.ThrowsAsync<InvalidSlotLengthException>(async () => await engine.CreateStoreAsync<int, int>(new StoreOptions("t") { SlotLength = 2 }));
            await Assert.ThrowsAsync<StoreAlreadyExistsException>(async () => await engine.CreateStoreAsync<string, string>(new StoreOptions("s")));
            await using (var tx = engine.Begin())
            {
                Assert.Throws<StoreMismatchException>(() => tx.OpenStore<int, string>("s"));
                Assert.Throws<StoreNotFoundException>(() => tx.OpenStore<string, string>("t"));
                var s = tx.OpenStore<string, string>("s");
                Assert.Throws<InvalidKeyException>(() => s.Add(new string('q', 2000), "x"));
                Assert.Throws<InvalidKeyException>(() => s.Add(null!, "x"));
                s.Add("k50", "v50");
                await tx.CommitAsync();
            }
            await using (var tx = engine.Begin(TransactionMode.ForReading))
            {
                Assert.Throws<ReadOnlyTransactionException>(() => tx.OpenStore<string, string>("s").Add("k99", "x"));
            }
        }
        await using (var engine = await h.OpenAsync())
        {
            Assert.Equal(["s"], engine.ListStores().Select(x => x.Name));
            Assert.Equal(51, engine.GetCount("s"));
            var all = await ReadAllAsync<string, string>(engine, "s");
            Assert.Equal(Enumerable.Range(0, 51).Select(i => ($"k{i:D2}", (string?)$"v{i}")), all);
        }
    }

    /// <summary>A non-string key type (serialized as JSON for the size check).</summary>
    public sealed record NameKey(string Name) : IComparable<NameKey>
    {
        public int CompareTo(NameKey? other) => string.CompareOrdinal(Name, other?.Name);
    }
}
