using Sop.Storage;

namespace Sop.Tests.Storage;

/// <summary>
/// The power-loss model of <see cref="InMemoryFileSystem"/>: file bytes survive only after a flush of the file (or
/// SyncAll), entries (create, rename, delete, mkdir) only after a sync of their folder (or SyncAll).
/// Each test starts from a fresh file system whose root folder is already durable.
/// </summary>
public sealed class InMemoryFileSystemPowerLossTests
{
    private readonly InMemoryFileSystem _fs = new();
    private readonly string _root = "/" + "sop-tests-" + Guid.NewGuid().ToString("N");

    public InMemoryFileSystemPowerLossTests()
    {
        _fs.CreateDirectory(_root);
        _fs.SyncAll(_root);
    }

    private string At(params string[] parts) => string.Join('/', [_root, .. parts]);

    /// <summary>Creates a file with the given bytes, flushed and with its entry synced: fully durable.</summary>
    private void CreateDurable(string path, byte[] bytes)
    {
        using (var f = _fs.Open(path, FileOpenMode.Create))
        {
            f.Write(0, bytes);
            f.Flush();
        }
        _fs.SyncDirectory(Path.GetDirectoryName(path)!);
    }

    [Fact]
    public void UnflushedWrite_IsLostAfterPowerLoss()
    {
        CreateDurable(At("f.bin"), [1, 2, 3]);
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Open))
        {
            f.Write(1, [9, 9, 9, 9]);
        }
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1, 2, 3 }, _fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void FlushedWrite_SurvivesPowerLoss()
    {
        CreateDurable(At("f.bin"), [1, 2, 3]);
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Open))
        {
            f.Write(3, [4]);
            f.Flush();
            f.Write(0, [0]); // after the flush: lost
        }
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, _fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void DataFlushInsideTheDurableLength_SurvivesPowerLoss()
    {
        CreateDurable(At("f.bin"), new byte[6]);
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Open))
        {
            f.Write(2, [7, 8]);
            f.FlushData();
            f.Write(0, [9]); // after the flush: lost
        }
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 0, 0, 7, 8, 0, 0 }, _fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void DataFlush_DoesNotMakeALengthChangeDurable()
    {
        CreateDurable(At("f.bin"), [1, 2, 3, 4]);
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Open))
        {
            f.Write(2, [7, 7, 7, 7]); // overwrites 2 bytes, appends 2
            f.FlushData();
        }
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1, 2, 7, 7 }, _fs.TryReadAllBytes(At("f.bin")));
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Open))
        {
            f.SetLength(1);
            f.FlushData();
        }
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1, 2, 7, 7 }, _fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void FlushAfterDataFlush_MakesTheAppendedBytesDurable()
    {
        CreateDurable(At("f.bin"), [1]);
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Open))
        {
            f.Write(1, [2, 3]);
            f.FlushData();
            f.Flush();
        }
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1, 2, 3 }, _fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void FlushedNewFileWithoutFolderSync_VanishesAfterPowerLoss()
    {
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Create))
        {
            f.Write(0, [1]);
            f.Flush();
        }
        _fs.SimulatePowerLoss();
        Assert.False(_fs.FileExists(At("f.bin")));
        Assert.Null(_fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void FlushedNewFileWithFolderSync_SurvivesPowerLoss()
    {
        CreateDurable(At("f.bin"), [1, 2]);
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1, 2 }, _fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void NewFileSyncedButNeverFlushed_SurvivesEmpty()
    {
        _fs.WriteAllBytes(At("f.bin"), [1, 2]);
        _fs.SyncDirectory(_root);
        _fs.SimulatePowerLoss();
        Assert.True(_fs.FileExists(At("f.bin")));
        Assert.Empty(_fs.TryReadAllBytes(At("f.bin"))!);
    }

    [Fact]
    public void SyncOfAnotherFolder_DoesNotMakeEntryDurable()
    {
        _fs.CreateDirectory(At("other"));
        _fs.SyncDirectory(_root);
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Create))
        {
            f.Write(0, [1]);
            f.Flush();
        }
        _fs.SyncDirectory(At("other"));
        _fs.SimulatePowerLoss();
        Assert.False(_fs.FileExists(At("f.bin")));
        Assert.True(_fs.DirectoryExists(At("other")));
    }

    [Fact]
    public void SyncAll_MakesEverythingDurable()
    {
        CreateDurable(At("old.bin"), [1]);
        _fs.CreateDirectory(At("d", "e"));
        _fs.WriteAllBytes(At("d", "e", "new.bin"), [2, 3]);
        using (var f = _fs.Open(At("old.bin"), FileOpenMode.Open)) f.Write(1, [4]);
        _fs.Move(At("old.bin"), At("moved.bin"));
        _fs.WriteAllBytes(At("gone.bin"), [5]);
        _fs.SyncAll(_root);
        _fs.DeleteFile(At("gone.bin")); // after SyncAll: not durable, comes back
        _fs.SimulatePowerLoss();
        Assert.False(_fs.FileExists(At("old.bin")));
        Assert.Equal(new byte[] { 1, 4 }, _fs.TryReadAllBytes(At("moved.bin")));
        Assert.Equal(new byte[] { 2, 3 }, _fs.TryReadAllBytes(At("d", "e", "new.bin")));
        Assert.Equal(new byte[] { 5 }, _fs.TryReadAllBytes(At("gone.bin")));
    }

    [Fact]
    public void RenameWithoutFolderSync_RevertsAfterPowerLoss()
    {
        CreateDurable(At("a.bin"), [1, 2]);
        _fs.Move(At("a.bin"), At("b.bin"));
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1, 2 }, _fs.TryReadAllBytes(At("a.bin")));
        Assert.False(_fs.FileExists(At("b.bin")));
    }

    [Fact]
    public void RenameWithFolderSync_SurvivesPowerLoss()
    {
        CreateDurable(At("a.bin"), [1, 2]);
        _fs.Move(At("a.bin"), At("b.bin"));
        _fs.SyncDirectory(_root);
        _fs.SimulatePowerLoss();
        Assert.False(_fs.FileExists(At("a.bin")));
        Assert.Equal(new byte[] { 1, 2 }, _fs.TryReadAllBytes(At("b.bin")));
    }

    [Fact]
    public void AtomicReplaceWithoutFolderSync_KeepsOldTarget()
    {
        CreateDurable(At("target.bin"), [1]);
        using (var f = _fs.Open(At("target.tmp"), FileOpenMode.Create))
        {
            f.Write(0, [2, 2]);
            f.Flush();
        }
        _fs.Move(At("target.tmp"), At("target.bin"));
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1 }, _fs.TryReadAllBytes(At("target.bin")));
        Assert.False(_fs.FileExists(At("target.tmp")));
    }

    [Fact]
    public void AtomicReplaceWithFolderSync_KeepsNewTarget()
    {
        CreateDurable(At("target.bin"), [1]);
        using (var f = _fs.Open(At("target.tmp"), FileOpenMode.Create))
        {
            f.Write(0, [2, 2]);
            f.Flush();
        }
        _fs.Move(At("target.tmp"), At("target.bin"));
        _fs.SyncDirectory(_root);
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 2, 2 }, _fs.TryReadAllBytes(At("target.bin")));
        Assert.False(_fs.FileExists(At("target.tmp")));
    }

    [Fact]
    public void DeleteWithoutFolderSync_ComesBackAfterPowerLoss()
    {
        CreateDurable(At("f.bin"), [1, 2]);
        _fs.DeleteFile(At("f.bin"));
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1, 2 }, _fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void DeleteWithFolderSync_StaysDeletedAfterPowerLoss()
    {
        CreateDurable(At("f.bin"), [1, 2]);
        _fs.DeleteFile(At("f.bin"));
        _fs.SyncDirectory(_root);
        _fs.SimulatePowerLoss();
        Assert.False(_fs.FileExists(At("f.bin")));
    }

    [Fact]
    public void NewFolderWithoutParentSync_VanishesWithItsFiles()
    {
        _fs.CreateDirectory(At("d"));
        CreateDurable(At("d", "f.bin"), [1]); // syncs d, but not the root that holds d's entry
        _fs.SimulatePowerLoss();
        Assert.False(_fs.DirectoryExists(At("d")));
        Assert.False(_fs.FileExists(At("d", "f.bin")));
        Assert.Empty(_fs.ListDirectories(_root));
    }

    [Fact]
    public void NewFolderWithParentSync_SurvivesWithItsSyncedFiles()
    {
        _fs.CreateDirectory(At("d"));
        _fs.SyncDirectory(_root);
        CreateDurable(At("d", "f.bin"), [1]);
        _fs.SimulatePowerLoss();
        Assert.True(_fs.DirectoryExists(At("d")));
        Assert.Equal(new byte[] { 1 }, _fs.TryReadAllBytes(At("d", "f.bin")));
    }

    [Fact]
    public void FolderSyncedInsideUnsyncedParent_VanishesWithParent()
    {
        _fs.CreateDirectory(At("a", "b"));
        _fs.SyncDirectory(At("a"));
        _fs.SimulatePowerLoss();
        Assert.False(_fs.DirectoryExists(At("a")));
        Assert.False(_fs.DirectoryExists(At("a", "b")));
    }

    [Fact]
    public void DeleteDirectoryWithoutParentSync_ComesBackWithDurableFiles()
    {
        _fs.CreateDirectory(At("d"));
        _fs.SyncDirectory(_root);
        CreateDurable(At("d", "f.bin"), [1]);
        _fs.DeleteDirectory(At("d"));
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1 }, _fs.TryReadAllBytes(At("d", "f.bin")));
    }

    [Fact]
    public void DeleteDirectoryWithParentSync_StaysDeleted()
    {
        _fs.CreateDirectory(At("d"));
        _fs.SyncDirectory(_root);
        CreateDurable(At("d", "f.bin"), [1]);
        _fs.DeleteDirectory(At("d"));
        _fs.SyncDirectory(_root);
        _fs.SimulatePowerLoss();
        Assert.False(_fs.DirectoryExists(At("d")));
        Assert.False(_fs.FileExists(At("d", "f.bin")));
    }

    [Fact]
    public void HandleOpenedBeforePowerLoss_SeesRolledBackContent()
    {
        CreateDurable(At("f.bin"), [1, 2]);
        using var f = _fs.Open(At("f.bin"), FileOpenMode.Open);
        f.Write(0, [7, 7, 7]);
        _fs.SimulatePowerLoss();
        Assert.Equal(2, f.Length);
        var buffer = new byte[2];
        Assert.Equal(2, f.Read(0, buffer));
        Assert.Equal(new byte[] { 1, 2 }, buffer);
    }

    [Fact]
    public void SecondPowerLoss_KeepsWhatTheFirstKept()
    {
        CreateDurable(At("f.bin"), [1, 2]);
        _fs.SimulatePowerLoss();
        _fs.SimulatePowerLoss();
        Assert.Equal(new byte[] { 1, 2 }, _fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void PowerLoss_ReleasesLocks()
    {
        var held = _fs.TryLockExclusive(At("db.lock"));
        Assert.NotNull(held);
        _fs.SimulatePowerLoss();
        using var next = _fs.TryLockExclusive(At("db.lock"));
        Assert.NotNull(next);
    }

    [Fact]
    public void StaleLockDisposedAfterPowerLoss_KeepsNewHolderLocked()
    {
        var stale = _fs.TryLockExclusive(At("db.lock"))!;
        _fs.SimulatePowerLoss();
        using var current = _fs.TryLockExclusive(At("db.lock"));
        Assert.NotNull(current);
        stale.Dispose();
        Assert.Null(_fs.TryLockExclusive(At("db.lock")));
    }

    [Fact]
    public void PowerLoss_ReleasesRangeLocksAndStaleHolderCannotUnlockNewOne()
    {
        var stale = _fs.OpenRangeLocks(At("ranges.lock"));
        _fs.SyncDirectory(_root);
        Assert.True(stale.TryLock(4));
        _fs.SimulatePowerLoss();
        using var current = _fs.OpenRangeLocks(At("ranges.lock"));
        Assert.True(current.TryLock(4));
        stale.Unlock(4);
        stale.Dispose();
        using var third = _fs.OpenRangeLocks(At("ranges.lock"));
        Assert.False(third.TryLock(4));
    }

    [Fact]
    public void ProcessCrashOnly_KeepsUnsyncedDataButReleasesLocks()
    {
        var held = _fs.TryLockExclusive(At("db.lock"));
        Assert.NotNull(held);
        _fs.WriteAllBytes(At("f.bin"), [1, 2]);
        _fs.Move(At("f.bin"), At("g.bin"));
        _fs.SimulatePowerLoss(keepPageCache: true);
        Assert.Equal(new byte[] { 1, 2 }, _fs.TryReadAllBytes(At("g.bin")));
        Assert.False(_fs.FileExists(At("f.bin")));
        using var next = _fs.TryLockExclusive(At("db.lock"));
        Assert.NotNull(next);
    }

    [Fact]
    public void SyncCount_CountsFlushesAndSyncsOnly()
    {
        long start = _fs.SyncCount;
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Create))
        {
            f.Write(0, [1]);
            _fs.WriteAllBytes(At("g.bin"), [2]);
            _fs.Move(At("g.bin"), At("h.bin"));
            _fs.DeleteFile(At("h.bin"));
            Assert.Equal(start, _fs.SyncCount);
            f.Flush();
            Assert.Equal(start + 1, _fs.SyncCount);
            f.Flush();
            Assert.Equal(start + 2, _fs.SyncCount);
        }
        _fs.SyncDirectory(_root);
        Assert.Equal(start + 3, _fs.SyncCount);
        _fs.SyncAll(_root);
        Assert.Equal(start + 4, _fs.SyncCount);
        _fs.SimulatePowerLoss();
        Assert.Equal(start + 4, _fs.SyncCount);
    }

    [Fact]
    public void DataSyncCount_CountsDataFlushesOnly_AndSyncCountIncludesThem()
    {
        long syncs = _fs.SyncCount, dataSyncs = _fs.DataSyncCount;
        using (var f = _fs.Open(At("f.bin"), FileOpenMode.Create))
        {
            f.Write(0, [1]);
            f.Flush();
            f.FlushData();
            f.FlushData();
        }
        _fs.SyncDirectory(_root);
        Assert.Equal(2, _fs.DataSyncCount - dataSyncs);
        Assert.Equal(4, _fs.SyncCount - syncs);
    }
}
