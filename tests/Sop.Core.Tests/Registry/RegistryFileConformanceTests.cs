using System.Buffers.Binary;
using System.IO.Hashing;
using Sop.Errors;
using Sop.Ids;
using Sop.Registry;
using Sop.Storage;
using Sop.Tests.Storage;

namespace Sop.Tests.Registry;

/// <summary>
/// <see cref="RegistryFile"/> on any <see cref="IFileSystem"/>: the shared registry behaviour plus the file's own
/// (growth by epochs, reopen, leftovers of an interrupted growth, damaged records).
/// </summary>
public abstract class RegistryFileConformanceTests : RegistryConformanceTests
{
    protected const string StoreName = "orders";
    private const int HeaderSize = 4096;
    private const int RecordSize = 64;
    private readonly TempFolder _temp = new();

    protected RegistryFileConformanceTests(IFileSystem fs)
    {
        Fs = fs;
        Layout = new DataFolderLayout(_temp.Path);
    }

    /// <summary>The file system under the registry.</summary>
    protected IFileSystem Fs { get; }

    /// <summary>The layout of this test's data folder.</summary>
    protected DataFolderLayout Layout { get; }

    /// <summary>The registry under test as its concrete type.</summary>
    protected RegistryFile Current => (RegistryFile)Registry;

    private string StoreDirectory => Layout.StoreDirectory(StoreName);

    private string CurrentPath => Layout.RegistryPath(StoreName, Current.Epoch);

    protected override IRegistry CreateRegistry()
    {
        Fs.CreateDirectory(StoreDirectory);
        return RegistryFile.Create(Fs, Layout, StoreName);
    }

    protected override void Cleanup() => _temp.Dispose();

    private RegistryFile Reopen()
    {
        Registry.Dispose();
        var reopened = RegistryFile.Open(Fs, Layout, StoreName);
        ReplaceRegistry(reopened);
        return reopened;
    }

    private string[] RegistryFileNames() =>
        Fs.ListFiles(StoreDirectory).Where(n => n.StartsWith("registry.", StringComparison.Ordinal) && n.EndsWith(".reg", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The slot holding the record of <paramref name="id"/>, found by scanning the file for its id bytes.</summary>
    private long SlotOf(NodeId id)
    {
        byte[] file = Fs.TryReadAllBytes(CurrentPath)!;
        byte[] idBytes = id.Value.ToByteArray();
        long found = -1;
        for (long k = 0; k < Current.Capacity; k++)
        {
            if (!file.AsSpan((int)(HeaderSize + (k * RecordSize)), 16).SequenceEqual(idBytes)) continue;
            Assert.True(found < 0, $"id {id} is in slots {found} and {k}");
            found = k;
        }
        Assert.True(found >= 0, $"id {id} not in the file");
        return found;
    }

    private void FlipByte(long slot, int offsetInRecord)
    {
        using var f = Fs.Open(CurrentPath, FileOpenMode.Open);
        long at = HeaderSize + (slot * RecordSize) + offsetInRecord;
        var b = new byte[1];
        Assert.Equal(1, f.Read(at, b));
        b[0] ^= 0x04;
        f.Write(at, b);
    }

    /// <summary>A random id whose home slot in a table of <paramref name="capacity"/> slots is <paramref name="home"/>.</summary>
    private static NodeId IdWithHome(Random rnd, long home, long capacity = 1024)
    {
        while (true)
        {
            var id = NewNodeId(rnd);
            if (HandleRecord.Home(id, capacity - 1) == home) return id;
        }
    }

    private void AssertFound(Handle expected)
    {
        if (!Registry.TryGet(expected.LogicalId, out var actual)) Assert.Fail($"id {expected.LogicalId} missing");
        Assert.Equal(expected, actual);
    }

    // ---- Creation and growth ----------------------------------------------------------------------------------

    [Fact]
    public void Create_StartsAtEpochOneWith1024Slots()
    {
        Assert.Equal(1, Current.Epoch);
        Assert.Equal(1024, Current.Capacity);
        Assert.Equal(new[] { "registry.000001.reg" }, RegistryFileNames());
        Assert.Equal(HeaderSize + (1024 * RecordSize), Fs.TryReadAllBytes(CurrentPath)!.Length);
    }

    [Fact]
    public void ManyInserts_GrowIntoNewEpochAndDeleteOldFile()
    {
        var rnd = new Random(3);
        var handles = NewHandles(rnd, 5_000);
        foreach (var chunk in handles.Chunk(10)) Registry.Write(chunk);

        Assert.True(Current.Epoch > 1, $"epoch {Current.Epoch}");
        Assert.True(Current.Capacity > 1024, $"capacity {Current.Capacity}");
        Assert.True(handles.Length * 4 <= Current.Capacity * 3, $"capacity {Current.Capacity} is more than 3/4 full");
        Assert.Equal(new[] { $"registry.{Current.Epoch:D6}.reg" }, RegistryFileNames());
        foreach (var h in handles) AssertFound(h);
        Assert.Equal(handles.Length, Registry.Scan().Count);
    }

    [Fact]
    public void ChurnWithFewLiveHandles_DoesNotGrowUnbounded()
    {
        // Tombstones fill the table; growth must rehash the few live handles instead of doubling each time.
        var rnd = new Random(4);
        for (int round = 0; round < 20; round++)
        {
            var hs = NewHandles(rnd, 200);
            Registry.Write(hs);
            Registry.Write(hs.Select(h => h.AsDeleted()).ToArray());
        }
        Assert.True(Current.Epoch > 1, $"epoch {Current.Epoch}: tombstones never triggered a rehash");
        Assert.True(Current.Capacity <= 2048, $"capacity {Current.Capacity} after churn with at most 200 live handles");
        Assert.Empty(Registry.Scan());
        var last = NewHandles(rnd, 100);
        Registry.Write(last);
        foreach (var h in last) AssertFound(h);
    }

    // ---- Probing ----------------------------------------------------------------------------------------------

    [Fact]
    public void TombstoneOnProbeChain_DoesNotHideLaterHandles()
    {
        var rnd = new Random(6);
        Assert.Equal(1024, Current.Capacity);
        var chain = Enumerable.Range(0, 4).Select(_ => Handle.ForNew(IdWithHome(rnd, 100), NewBlobId(rnd))).ToArray();
        Registry.Write(chain);
        Registry.Write([chain[0].AsDeleted(), chain[2].AsDeleted()]);
        Assert.False(Registry.TryGet(chain[0].LogicalId, out _));
        Assert.False(Registry.TryGet(chain[2].LogicalId, out _));
        AssertFound(chain[1]);
        AssertFound(chain[3]);

        var updated = chain[3].Flip(NewBlobId(rnd));
        var reinserted = Handle.ForNew(chain[2].LogicalId, NewBlobId(rnd));
        Registry.Write([updated, reinserted]);
        AssertFound(updated);
        AssertFound(reinserted);
        Assert.Equal(3, Registry.Scan().Count);
        Assert.Equal(3, Registry.Scan().Select(h => h.LogicalId).Distinct().Count());
    }

    [Fact]
    public void ProbeChainWrappingPastLastSlot_FindsAll()
    {
        var rnd = new Random(7);
        Assert.Equal(1024, Current.Capacity);
        var chain = Enumerable.Range(0, 3).Select(_ => Handle.ForNew(IdWithHome(rnd, 1023), NewBlobId(rnd))).ToArray();
        Registry.Write(chain);
        foreach (var h in chain) AssertFound(h);
        Assert.Equal(1023, SlotOf(chain[0].LogicalId));
        Assert.Equal(0, SlotOf(chain[1].LogicalId));
        Assert.Equal(1, SlotOf(chain[2].LogicalId));
        Registry.Write([chain[0].AsDeleted()]);
        AssertFound(chain[1]);
        AssertFound(chain[2]);
    }

    // ---- Reopen -----------------------------------------------------------------------------------------------

    [Fact]
    public void ReopenAfterDispose_FindsEverything()
    {
        var rnd = new Random(8);
        var model = NewHandles(rnd, 300).ToDictionary(h => h.LogicalId);
        Registry.Write(model.Values.ToArray());
        var ids = model.Keys.ToList();
        foreach (var id in ids.Take(50)) model[id] = model[id].Flip(NewBlobId(rnd));
        Registry.Write(ids.Take(50).Select(id => model[id]).ToArray());
        Registry.Write(ids.Skip(50).Take(40).Select(id => model[id].AsDeleted()).ToArray());
        foreach (var id in ids.Skip(50).Take(40)) model.Remove(id);

        var reopened = Reopen();

        Assert.Equal(1, reopened.Epoch);
        Assert.Equal(1024, reopened.Capacity);
        AssertMatches(model, ids, "after reopen");
    }

    [Fact]
    public void ReopenAfterGrowth_FindsEverythingAndKeepsGrowing()
    {
        var rnd = new Random(9);
        var first = NewHandles(rnd, 3_000);
        Registry.Write(first);
        int epoch = Current.Epoch;
        long capacity = Current.Capacity;

        var reopened = Reopen();

        Assert.Equal(epoch, reopened.Epoch);
        Assert.Equal(capacity, reopened.Capacity);
        Assert.Equal(new[] { $"registry.{epoch:D6}.reg" }, RegistryFileNames());
        foreach (var h in first) AssertFound(h);

        var second = NewHandles(rnd, 3_000);
        Registry.Write(second);
        Assert.True(6_000 * 4 <= Current.Capacity * 3, $"capacity {Current.Capacity} after reopen and 6000 handles");
        foreach (var h in first.Concat(second)) AssertFound(h);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("empty")]
    [InlineData("unsealed")]
    public void ReopenWithUnsealedHigherEpochLeftover_IgnoresAndDeletesIt(string leftover)
    {
        var hs = NewHandles(new Random(10), 100);
        Registry.Write(hs);
        byte[] bytes = leftover switch
        {
            "garbage" => RandomFileBytes(),
            "empty" => [],
            _ => UnsealedCopy(Fs.TryReadAllBytes(CurrentPath)!, epoch: 9),
        };
        string leftoverPath = Layout.RegistryPath(StoreName, 9);
        Assert.EndsWith("registry.000009.reg", leftoverPath);
        Fs.WriteAllBytes(leftoverPath, bytes);

        var reopened = Reopen();

        Assert.Equal(1, reopened.Epoch);
        Assert.False(Fs.FileExists(leftoverPath));
        Assert.Equal(new[] { "registry.000001.reg" }, RegistryFileNames());
        foreach (var h in hs) AssertFound(h);

        static byte[] RandomFileBytes()
        {
            var b = new byte[HeaderSize + (1024 * RecordSize)];
            new Random(99).NextBytes(b);
            return b;
        }
    }

    [Fact]
    public void ReopenWhileAnotherEngineGrows_LeavesItsUnsealedFileAlone_AndFollowsItOnceSealed()
    {
        var hs = NewHandles(new Random(11), 100);
        Registry.Write(hs);
        byte[] grown = Fs.TryReadAllBytes(CurrentPath)!;
        string nextPath = Layout.RegistryPath(StoreName, 2);
        // Another engine grows the registry: it holds the writer lock and has written its new file, not sealed yet.
        using (var grower = Fs.OpenRangeLocks(Path.Combine(StoreDirectory, "registry.lck")))
        {
            Assert.True(grower.TryLock(0));
            Fs.WriteAllBytes(nextPath, UnsealedCopy(grown, epoch: 2));

            var reopened = Reopen(); // used to delete the grower's file here

            Assert.Equal(1, reopened.Epoch);
            Assert.True(Fs.FileExists(nextPath));
            foreach (var h in hs) AssertFound(h);
            Fs.WriteAllBytes(nextPath, Sealed(UnsealedCopy(grown, epoch: 2))); // the grower seals
            grower.Unlock(0);
        }
        Current.Refresh();
        Assert.Equal(2, Current.Epoch);
        foreach (var h in hs) AssertFound(h);
    }

    private static byte[] Sealed(byte[] unsealed)
    {
        unsealed[16] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(unsealed.AsSpan(60), Crc32.HashToUInt32(unsealed.AsSpan(0, 60)));
        return unsealed;
    }

    /// <summary>A registry file as a growth leaves it before sealing: same content, another epoch, seal byte 0.</summary>
    private static byte[] UnsealedCopy(byte[] sealedFile, int epoch)
    {
        var copy = (byte[])sealedFile.Clone();
        Assert.Equal(1, copy[16]); // the seal flag of the header this test knows
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(8), epoch);
        copy[16] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(60), Crc32.HashToUInt32(copy.AsSpan(0, 60)));
        return copy;
    }

    [Theory]
    [InlineData("registry.reg")]
    [InlineData("registry.000002.reg.tmp")]
    [InlineData("registry.000002")]
    public void ReopenWithStrayRegistryLikeFile_IgnoresIt(string name)
    {
        var hs = NewHandles(new Random(20), 10);
        Registry.Write(hs);
        Fs.WriteAllBytes(Path.Combine(StoreDirectory, name), [1, 2, 3]);

        var reopened = Reopen();

        Assert.Equal(1, reopened.Epoch);
        foreach (var h in hs) AssertFound(h);
    }

    [Fact]
    public void ReopenWithNonCanonicalEpochName_IgnoresIt()
    {
        var hs = NewHandles(new Random(20), 10);
        Registry.Write(hs);
        Fs.WriteAllBytes(Path.Combine(StoreDirectory, "registry.5.reg"), [1, 2, 3]);

        var reopened = Reopen();

        Assert.Equal(1, reopened.Epoch);
        foreach (var h in hs) AssertFound(h);
    }

    [Fact]
    public void ReopenWithLeftoverOlderEpoch_DeletesIt()
    {
        var rnd = new Random(12);
        var early = NewHandles(rnd, 50);
        Registry.Write(early);
        byte[] epochOne = Fs.TryReadAllBytes(CurrentPath)!;
        var late = NewHandles(rnd, 1_000);
        Registry.Write(late);
        int epoch = Current.Epoch;
        Assert.True(epoch > 1);
        Fs.WriteAllBytes(Layout.RegistryPath(StoreName, 1), epochOne); // a growth that crashed before deleting it

        var reopened = Reopen();

        Assert.Equal(epoch, reopened.Epoch);
        Assert.Equal(new[] { $"registry.{epoch:D6}.reg" }, RegistryFileNames());
        foreach (var h in early.Concat(late)) AssertFound(h);
    }

    [Fact]
    public void OpenWithOnlyAnUnsealedFile_ThrowsDataCorruption()
    {
        Registry.Write(NewHandles(new Random(13), 5));
        byte[] unsealed = UnsealedCopy(Fs.TryReadAllBytes(CurrentPath)!, epoch: 1);
        Registry.Dispose();
        Fs.WriteAllBytes(Layout.RegistryPath(StoreName, 1), unsealed);
        Assert.Throws<DataCorruptionException>(() => RegistryFile.Open(Fs, Layout, StoreName));
    }

    [Fact]
    public void OpenWithoutRegistryFile_ThrowsDataCorruption()
    {
        Fs.CreateDirectory(Layout.StoreDirectory("empty"));
        Assert.Throws<DataCorruptionException>(() => RegistryFile.Open(Fs, Layout, "empty"));
    }

    // ---- Damaged records --------------------------------------------------------------------------------------

    [Theory]
    [InlineData(20)] // physical A
    [InlineData(40)] // physical B
    [InlineData(48)] // version
    [InlineData(52)] // work in progress
    [InlineData(56)] // flags
    [InlineData(57)] // record format
    [InlineData(58)] // reserved
    [InlineData(61)] // crc
    public void FlippedByteInRecord_LookupThrowsUntilRewritten(int offsetInRecord)
    {
        var hs = NewHandles(new Random(14), 50);
        Registry.Write(hs);
        var target = hs[17];
        FlipByte(SlotOf(target.LogicalId), offsetInRecord);

        var ex = Assert.Throws<DataCorruptionException>(() => Registry.TryGet(target.LogicalId, out _));
        Assert.Contains("checksum", ex.Message);
        Assert.Equal(RecoveryLookup.Damaged, Registry.TryGetForRecovery(target.LogicalId, out _));

        Registry.Write([target]);
        AssertFound(target);
        Assert.Equal(RecoveryLookup.Found, Registry.TryGetForRecovery(target.LogicalId, out var viaRecovery));
        Assert.Equal(target, viaRecovery);
        Assert.Equal(50, Registry.Scan().Count);
        foreach (var h in hs) AssertFound(h);
    }

    /// <summary>
    /// A record whose id bytes are damaged cannot be told apart from another id's record, so a write never claims it:
    /// it stays reported on every lookup that crosses it (never silently dropped), and growth carries it over as it is.
    /// </summary>
    [Fact]
    public void FlippedIdByteInRecord_StaysReportedAfterRewrite()
    {
        var hs = NewHandles(new Random(14), 50);
        Registry.Write(hs);
        var target = hs[17];
        FlipByte(SlotOf(target.LogicalId), 0);
        Assert.Throws<DataCorruptionException>(() => Registry.TryGet(target.LogicalId, out _));

        Registry.Write([target]);
        Assert.Throws<DataCorruptionException>(() => Registry.TryGet(target.LogicalId, out _));
        Assert.DoesNotContain(Registry.Scan(), h => h.LogicalId == target.LogicalId && h.Version != target.Version);
    }

    [Fact]
    public void DamagedRecordAfterReopen_LookupThrowsUntilRewritten()
    {
        var hs = NewHandles(new Random(15), 50);
        Registry.Write(hs);
        var target = hs[3];
        FlipByte(SlotOf(target.LogicalId), 30);

        Reopen();

        Assert.Throws<DataCorruptionException>(() => Registry.TryGet(target.LogicalId, out _));
        var repaired = target.Flip(BlobId.New());
        Registry.Write([repaired]);
        AssertFound(repaired);
        Assert.Equal(50, Registry.Scan().Count);
    }

    [Fact]
    public void DamagedRecordOfAnotherIdOnChain_LookupThrowsRecoveryLookupSkipsIt()
    {
        var rnd = new Random(16);
        var first = Handle.ForNew(IdWithHome(rnd, 500), NewBlobId(rnd));
        var second = Handle.ForNew(IdWithHome(rnd, 500), NewBlobId(rnd));
        Registry.Write([first, second]);
        Assert.Equal(501, SlotOf(second.LogicalId));
        FlipByte(SlotOf(first.LogicalId), 20);

        Assert.Throws<DataCorruptionException>(() => Registry.TryGet(second.LogicalId, out _));
        Assert.Equal(RecoveryLookup.Found, Registry.TryGetForRecovery(second.LogicalId, out var found));
        Assert.Equal(second, found);
        Assert.Equal(RecoveryLookup.Damaged, Registry.TryGetForRecovery(first.LogicalId, out _));
        Assert.Equal(RecoveryLookup.Absent, Registry.TryGetForRecovery(IdWithHome(rnd, 500), out _));
    }

    /// <summary>
    /// Regression: a write once repaired the first damaged record on its probe chain in place even when the record was
    /// another id's, leaving two live records for the written id (Scan returned it twice, and the next growth let the
    /// stale record overwrite the new one).
    /// </summary>
    [Fact]
    public void WriteThroughAnotherIdsDamagedRecord_KeepsOneRecordPerIdAndNewestVersion()
    {
        var rnd = new Random(17);
        var y = Handle.ForNew(IdWithHome(rnd, 500), NewBlobId(rnd));
        var x = Handle.ForNew(IdWithHome(rnd, 500), NewBlobId(rnd));
        Registry.Write([y, x]);
        FlipByte(500, 20); // y's record

        var x2 = x.Flip(NewBlobId(rnd));
        Registry.Write([x2]);
        Assert.Equal(x2, Assert.Single(Registry.Scan(), h => h.LogicalId == x.LogicalId));
        Assert.Equal(RecoveryLookup.Found, Registry.TryGetForRecovery(x.LogicalId, out var found));
        Assert.Equal(x2, found);

        Registry.Write([y]); // recovery rewrites y from the commit log
        AssertFound(y);
        AssertFound(x2);

        Registry.Write(NewHandles(new Random(18), 1_000)); // a growth rehashes every live record
        Assert.True(Current.Epoch > 1);
        AssertFound(x2);
        AssertFound(y);

        Registry.Write([x2.AsDeleted()]);
        Assert.False(Registry.TryGet(x.LogicalId, out _));
        Assert.DoesNotContain(Registry.Scan(), h => h.LogicalId == x.LogicalId);
    }

    // ---- Several engines on one folder ------------------------------------------------------------------------

    [Fact]
    public void Refresh_PicksUpGrowthByAnotherInstance()
    {
        var rnd = new Random(19);
        var early = NewHandles(rnd, 10);
        Registry.Write(early);
        using var other = RegistryFile.Open(Fs, Layout, StoreName);
        foreach (var h in early) Assert.True(other.TryGet(h.LogicalId, out _));

        var late = NewHandles(rnd, 1_000);
        Registry.Write(late); // grows: the other instance still reads the retired epoch
        Assert.True(Current.Epoch > 1);

        other.Refresh();

        Assert.Equal(Current.Epoch, other.Epoch);
        Assert.Equal(Current.Capacity, other.Capacity);
        foreach (var h in early.Concat(late))
        {
            if (!other.TryGet(h.LogicalId, out var found)) Assert.Fail($"id {h.LogicalId} missing after refresh");
            Assert.Equal(h, found);
        }
    }
}
