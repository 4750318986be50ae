using Sop.Storage;

namespace Sop.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IFileSystem"/> shares, durability aside (see <see cref="InMemoryFileSystemPowerLossTests"/>).
/// Each implementation subclasses this in a few lines; every test works in its own fresh temp folder.
/// </summary>
public abstract class FileSystemConformanceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    /// <summary>Creates the file system and the test's root folder in it.</summary>
    protected FileSystemConformanceTests()
    {
        Fs = CreateFileSystem();
        Fs.CreateDirectory(Root);
    }

    /// <summary>The file system under test.</summary>
    protected IFileSystem Fs { get; }

    /// <summary>This test's folder.</summary>
    protected string Root => _temp.Path;

    /// <summary>Creates a fresh file system (called once per test).</summary>
    protected abstract IFileSystem CreateFileSystem();

    /// <inheritdoc />
    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    protected string At(params string[] parts) => Path.Combine([Root, .. parts]);

    protected static byte[] ReadAll(IRandomAccessFile file)
    {
        var bytes = new byte[file.Length];
        Assert.Equal(bytes.Length, file.Read(0, bytes));
        return bytes;
    }

    // ---- Open modes -------------------------------------------------------------------------------------------

    [Fact]
    public void OpenMissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Fs.Open(At("missing.bin"), FileOpenMode.Open));
        Assert.False(Fs.FileExists(At("missing.bin")));
    }

    [Fact]
    public void OpenReadOnlyMissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Fs.Open(At("missing.bin"), FileOpenMode.ReadOnly));
        Assert.False(Fs.FileExists(At("missing.bin")));
    }

    [Fact]
    public void OpenInMissingFolder_ThrowsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Fs.Open(At("no-such-folder", "f.bin"), FileOpenMode.OpenOrCreate));
    }

    [Fact]
    public void OpenOrCreateMissingFile_CreatesEmptyFile()
    {
        using (var f = Fs.Open(At("f.bin"), FileOpenMode.OpenOrCreate)) Assert.Equal(0, f.Length);
        Assert.True(Fs.FileExists(At("f.bin")));
        Assert.Empty(Fs.TryReadAllBytes(At("f.bin"))!);
    }

    [Fact]
    public void OpenOrCreateExistingFile_KeepsContent()
    {
        Fs.WriteAllBytes(At("f.bin"), [1, 2, 3]);
        using var f = Fs.Open(At("f.bin"), FileOpenMode.OpenOrCreate);
        Assert.Equal(new byte[] { 1, 2, 3 }, ReadAll(f));
    }

    [Fact]
    public void OpenExistingFile_KeepsContent()
    {
        Fs.WriteAllBytes(At("f.bin"), [1, 2, 3]);
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Open);
        Assert.Equal(new byte[] { 1, 2, 3 }, ReadAll(f));
    }

    [Fact]
    public void CreateExistingFile_Truncates()
    {
        Fs.WriteAllBytes(At("f.bin"), [1, 2, 3]);
        using (var f = Fs.Open(At("f.bin"), FileOpenMode.Create)) Assert.Equal(0, f.Length);
        Assert.Empty(Fs.TryReadAllBytes(At("f.bin"))!);
    }

    [Fact]
    public void ReadOnlyHandle_ReadsButRejectsWrites()
    {
        Fs.WriteAllBytes(At("f.bin"), [7, 8]);
        using var f = Fs.Open(At("f.bin"), FileOpenMode.ReadOnly);
        Assert.Equal(new byte[] { 7, 8 }, ReadAll(f));
        Assert.Throws<UnauthorizedAccessException>(() => f.Write(0, [1]));
        Assert.Equal(new byte[] { 7, 8 }, Fs.TryReadAllBytes(At("f.bin")));
    }

    // ---- Positioned reads and writes ---------------------------------------------------------------------------

    [Fact]
    public void WriteAtOffsets_ReadsBackSameBytes()
    {
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Create);
        f.Write(0, [1, 2, 3, 4, 5, 6]);
        f.Write(2, [9, 9]);
        var buffer = new byte[3];
        Assert.Equal(3, f.Read(1, buffer));
        Assert.Equal(new byte[] { 2, 9, 9 }, buffer);
        Assert.Equal(6, f.Length);
        Assert.Equal(new byte[] { 1, 2, 9, 9, 5, 6 }, ReadAll(f));
    }

    [Fact]
    public void WritePastEnd_ZeroFillsGap()
    {
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Create);
        f.Write(0, [1, 2]);
        f.Write(6, [3]);
        Assert.Equal(7, f.Length);
        Assert.Equal(new byte[] { 1, 2, 0, 0, 0, 0, 3 }, ReadAll(f));
    }

    [Fact]
    public void WriteFarPastEndOfEmptyFile_ZeroFillsFromStart()
    {
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Create);
        f.Write(100_000, [0xAB]);
        var bytes = ReadAll(f);
        Assert.Equal(100_001, bytes.Length);
        Assert.True(bytes.AsSpan(0, 100_000).IndexOfAnyExcept((byte)0) < 0, "gap must be zero-filled");
        Assert.Equal(0xAB, bytes[^1]);
    }

    [Fact]
    public void ReadAcrossEnd_ReturnsShortCount()
    {
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Create);
        f.Write(0, [1, 2, 3]);
        var buffer = new byte[10];
        Assert.Equal(2, f.Read(1, buffer));
        Assert.Equal(new byte[] { 2, 3 }, buffer[..2]);
        Assert.Equal(0, f.Read(3, buffer));
        Assert.Equal(0, f.Read(50, buffer));
    }

    [Fact]
    public void WriteThroughOneHandle_IsVisibleThroughAnother()
    {
        using var writer = Fs.Open(At("f.bin"), FileOpenMode.Create);
        using var reader = Fs.Open(At("f.bin"), FileOpenMode.Open);
        writer.Write(0, [4, 5, 6]);
        Assert.Equal(3, reader.Length);
        Assert.Equal(new byte[] { 4, 5, 6 }, ReadAll(reader));
        Assert.Equal(new byte[] { 4, 5, 6 }, Fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void WrittenBytes_SurviveDisposeOfHandle()
    {
        using (var f = Fs.Open(At("f.bin"), FileOpenMode.Create)) f.Write(0, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, Fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void SetLengthGrow_ZeroFills()
    {
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Create);
        f.Write(0, [1, 2]);
        f.SetLength(5);
        Assert.Equal(5, f.Length);
        Assert.Equal(new byte[] { 1, 2, 0, 0, 0 }, ReadAll(f));
    }

    [Fact]
    public void SetLengthShrink_DropsTail()
    {
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Create);
        f.Write(0, [1, 2, 3, 4, 5]);
        f.SetLength(2);
        Assert.Equal(2, f.Length);
        Assert.Equal(new byte[] { 1, 2 }, ReadAll(f));
        Assert.Equal(new byte[] { 1, 2 }, Fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void SetLengthShrinkThenGrow_DoesNotResurrectOldBytes()
    {
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Create);
        f.Write(0, [1, 2, 3, 4, 5]);
        f.SetLength(1);
        f.SetLength(4);
        Assert.Equal(new byte[] { 1, 0, 0, 0 }, ReadAll(f));
        f.SetLength(1);
        f.Write(3, [9]);
        Assert.Equal(new byte[] { 1, 0, 0, 9 }, ReadAll(f));
    }

    [Fact]
    public void Flush_DoesNotThrowAndKeepsContent()
    {
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Create);
        f.Write(0, [1]);
        f.Flush();
        Assert.Equal(new byte[] { 1 }, ReadAll(f));
    }

    [Fact]
    public void FlushData_DoesNotThrowAndKeepsContent()
    {
        using var f = Fs.Open(At("f.bin"), FileOpenMode.Create);
        f.SetLength(8);
        f.Flush();
        f.Write(2, [5, 6]);
        f.FlushData();
        Assert.Equal(new byte[] { 0, 0, 5, 6, 0, 0, 0, 0 }, ReadAll(f));
    }

    // ---- Whole-file helpers -----------------------------------------------------------------------------------

    [Fact]
    public void TryReadAllBytesMissingFile_ReturnsNull()
    {
        Assert.Null(Fs.TryReadAllBytes(At("missing.bin")));
    }

    [Fact]
    public void TryReadAllBytesInMissingFolder_ReturnsNull()
    {
        Assert.Null(Fs.TryReadAllBytes(At("no-such-folder", "missing.bin")));
    }

    [Fact]
    public void WriteAllBytesOverLongerFile_ReplacesWholeContent()
    {
        Fs.WriteAllBytes(At("f.bin"), [1, 2, 3, 4, 5]);
        Fs.WriteAllBytes(At("f.bin"), [9, 8]);
        Assert.Equal(new byte[] { 9, 8 }, Fs.TryReadAllBytes(At("f.bin")));
    }

    [Fact]
    public void WriteAllBytesEmpty_CreatesEmptyFile()
    {
        Fs.WriteAllBytes(At("f.bin"), []);
        Assert.True(Fs.FileExists(At("f.bin")));
        Assert.Empty(Fs.TryReadAllBytes(At("f.bin"))!);
    }

    [Fact]
    public void WriteAllBytesInMissingFolder_ThrowsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Fs.WriteAllBytes(At("no-such-folder", "f.bin"), [1]));
    }

    // ---- Move -------------------------------------------------------------------------------------------------

    [Fact]
    public void MoveToNewName_MovesContent()
    {
        Fs.WriteAllBytes(At("a.bin"), [1, 2]);
        Fs.Move(At("a.bin"), At("b.bin"));
        Assert.False(Fs.FileExists(At("a.bin")));
        Assert.Equal(new byte[] { 1, 2 }, Fs.TryReadAllBytes(At("b.bin")));
    }

    [Fact]
    public void MoveOntoExistingFile_ReplacesTarget()
    {
        Fs.WriteAllBytes(At("tmp.bin"), [1]);
        Fs.WriteAllBytes(At("target.bin"), [7, 7, 7]);
        Fs.Move(At("tmp.bin"), At("target.bin"));
        Assert.False(Fs.FileExists(At("tmp.bin")));
        Assert.Equal(new byte[] { 1 }, Fs.TryReadAllBytes(At("target.bin")));
    }

    [Fact]
    public void MoveIntoOtherFolder_MovesContent()
    {
        Fs.CreateDirectory(At("sub"));
        Fs.WriteAllBytes(At("a.bin"), [5]);
        Fs.Move(At("a.bin"), At("sub", "a.bin"));
        Assert.Equal(new[] { "a.bin" }, Fs.ListFiles(At("sub")));
        Assert.Empty(Fs.ListFiles(Root));
    }

    [Fact]
    public void MoveMissingSource_ThrowsFileNotFound()
    {
        Fs.WriteAllBytes(At("target.bin"), [7]);
        Assert.Throws<FileNotFoundException>(() => Fs.Move(At("missing.bin"), At("target.bin")));
        Assert.Equal(new byte[] { 7 }, Fs.TryReadAllBytes(At("target.bin")));
    }

    [Fact]
    public void MoveIntoMissingFolder_ThrowsAndKeepsSource()
    {
        Fs.WriteAllBytes(At("a.bin"), [1, 2]);
        Assert.Throws<DirectoryNotFoundException>(() => Fs.Move(At("a.bin"), At("no-such-folder", "a.bin")));
        Assert.Equal(new byte[] { 1, 2 }, Fs.TryReadAllBytes(At("a.bin")));
    }

    // ---- Delete -----------------------------------------------------------------------------------------------

    [Fact]
    public void DeleteFileTwice_DoesNotThrow()
    {
        Fs.WriteAllBytes(At("f.bin"), [1]);
        Fs.DeleteFile(At("f.bin"));
        Assert.False(Fs.FileExists(At("f.bin")));
        Assert.Null(Fs.TryReadAllBytes(At("f.bin")));
        Fs.DeleteFile(At("f.bin"));
    }

    [Fact]
    public void DeleteFileInMissingFolder_DoesNotThrow()
    {
        Fs.DeleteFile(At("no-such-folder", "f.bin"));
        Assert.False(Fs.DirectoryExists(At("no-such-folder")));
    }

    [Fact]
    public void DeleteDirectoryWithContent_RemovesEverythingUnderIt()
    {
        Fs.CreateDirectory(At("d", "e", "f"));
        Fs.WriteAllBytes(At("d", "x.bin"), [1]);
        Fs.WriteAllBytes(At("d", "e", "f", "y.bin"), [2]);
        Fs.WriteAllBytes(At("keep.bin"), [3]);
        Fs.DeleteDirectory(At("d"));
        Assert.False(Fs.DirectoryExists(At("d")));
        Assert.False(Fs.DirectoryExists(At("d", "e", "f")));
        Assert.False(Fs.FileExists(At("d", "e", "f", "y.bin")));
        Assert.Empty(Fs.ListDirectories(Root));
        Assert.Equal(new[] { "keep.bin" }, Fs.ListFiles(Root));
    }

    [Fact]
    public void DeleteDirectoryTwice_DoesNotThrow()
    {
        Fs.CreateDirectory(At("d"));
        Fs.DeleteDirectory(At("d"));
        Fs.DeleteDirectory(At("d"));
        Fs.DeleteDirectory(At("never", "existed"));
        Assert.False(Fs.DirectoryExists(At("d")));
    }

    [Fact]
    public void DeleteDirectoryThenRecreate_StartsEmpty()
    {
        Fs.CreateDirectory(At("d"));
        Fs.WriteAllBytes(At("d", "x.bin"), [1]);
        Fs.DeleteDirectory(At("d"));
        Fs.CreateDirectory(At("d"));
        Assert.Empty(Fs.ListFiles(At("d")));
    }

    // ---- Folders and listing ----------------------------------------------------------------------------------

    [Fact]
    public void CreateDirectoryNested_CreatesParents()
    {
        Fs.CreateDirectory(At("a", "b", "c"));
        Assert.True(Fs.DirectoryExists(At("a")));
        Assert.True(Fs.DirectoryExists(At("a", "b")));
        Assert.True(Fs.DirectoryExists(At("a", "b", "c")));
        Fs.CreateDirectory(At("a", "b", "c")); // existing: no error
    }

    [Fact]
    public void FilesAndFolders_AreToldApart()
    {
        Fs.CreateDirectory(At("d"));
        Fs.WriteAllBytes(At("f.bin"), [1]);
        Assert.True(Fs.FileExists(At("f.bin")));
        Assert.False(Fs.DirectoryExists(At("f.bin")));
        Assert.True(Fs.DirectoryExists(At("d")));
        Assert.False(Fs.FileExists(At("d")));
    }

    [Fact]
    public void ListFiles_ReturnsNamesOfDirectFilesOnly()
    {
        Fs.CreateDirectory(At("sub"));
        Fs.WriteAllBytes(At("b.bin"), [1]);
        Fs.WriteAllBytes(At("a.bin"), [1]);
        Fs.WriteAllBytes(At("sub", "nested.bin"), [1]);
        Assert.Equal(new[] { "a.bin", "b.bin" }, Fs.ListFiles(Root).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ListDirectories_ReturnsNamesOfDirectFoldersOnly()
    {
        Fs.CreateDirectory(At("y", "deep"));
        Fs.CreateDirectory(At("x"));
        Fs.WriteAllBytes(At("f.bin"), [1]);
        Assert.Equal(new[] { "x", "y" }, Fs.ListDirectories(Root).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "deep" }, Fs.ListDirectories(At("y")));
    }

    [Fact]
    public void ListingMissingFolder_ReturnsEmpty()
    {
        Assert.Empty(Fs.ListFiles(At("no-such-folder")));
        Assert.Empty(Fs.ListDirectories(At("no-such-folder")));
    }

    [Fact]
    public void ListingEmptyFolder_ReturnsEmpty()
    {
        Assert.Empty(Fs.ListFiles(Root));
        Assert.Empty(Fs.ListDirectories(Root));
    }

    // ---- Locks ------------------------------------------------------------------------------------------------

    [Fact]
    public void SecondLockOnSameFile_ReturnsNullUntilReleased()
    {
        var first = Fs.TryLockExclusive(At("db.lock"));
        Assert.NotNull(first);
        Assert.Null(Fs.TryLockExclusive(At("db.lock")));
        first.Dispose();
        using var second = Fs.TryLockExclusive(At("db.lock"));
        Assert.NotNull(second);
    }

    [Fact]
    public void LocksOnDifferentFiles_AreIndependent()
    {
        using var a = Fs.TryLockExclusive(At("a.lock"));
        using var b = Fs.TryLockExclusive(At("b.lock"));
        Assert.NotNull(a);
        Assert.NotNull(b);
    }

    [Fact]
    public void ReleasingALockTwice_DoesNotReleaseTheNextHolder()
    {
        var first = Fs.TryLockExclusive(At("db.lock"))!;
        first.Dispose();
        using var second = Fs.TryLockExclusive(At("db.lock"));
        Assert.NotNull(second);
        first.Dispose();
        Assert.Null(Fs.TryLockExclusive(At("db.lock")));
    }

    [Fact]
    public void Lock_CreatesLockFileWhenMissing()
    {
        using var held = Fs.TryLockExclusive(At("db.lock"));
        Assert.NotNull(held);
        Assert.True(Fs.FileExists(At("db.lock")));
        Assert.Contains("db.lock", Fs.ListFiles(Root));
    }

    [Fact]
    public void LockInMissingFolder_ThrowsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Fs.TryLockExclusive(At("no-such-folder", "db.lock")));
    }

    // ---- Byte-range locks -------------------------------------------------------------------------------------

    [Fact]
    public void OpenRangeLocks_CreatesTheLockFile()
    {
        using var locks = Fs.OpenRangeLocks(At("ranges.lock"));
        Assert.True(Fs.FileExists(At("ranges.lock")));
    }

    [Fact]
    public void RangeLockHeldByOneHolder_IsRefusedToAnother()
    {
        using var a = Fs.OpenRangeLocks(At("ranges.lock"));
        using var b = Fs.OpenRangeLocks(At("ranges.lock"));
        Assert.True(a.TryLock(5));
        Assert.False(b.TryLock(5));
        Assert.True(b.IsLockedByOther(5));
        Assert.False(a.IsLockedByOther(5));
        Assert.True(a.TryLock(5)); // a holder may take its own lock again
        Assert.True(b.TryLock(6)); // other offsets are independent
        Assert.True(a.IsLockedByOther(6));
        Assert.False(a.IsLockedByOther(7));
    }

    [Fact]
    public void UnlockedRange_CanBeTakenByAnother()
    {
        using var a = Fs.OpenRangeLocks(At("ranges.lock"));
        using var b = Fs.OpenRangeLocks(At("ranges.lock"));
        Assert.True(a.TryLock(3));
        a.Unlock(3);
        Assert.False(b.IsLockedByOther(3));
        Assert.True(b.TryLock(3));
    }

    [Fact]
    public void UnlockOfRangeHeldByAnother_DoesNotReleaseIt()
    {
        using var a = Fs.OpenRangeLocks(At("ranges.lock"));
        using var b = Fs.OpenRangeLocks(At("ranges.lock"));
        Assert.True(a.TryLock(3));
        b.Unlock(3);
        Assert.False(b.TryLock(3));
        Assert.True(b.IsLockedByOther(3));
    }

    [Fact]
    public void DisposingRangeLocks_ReleasesAllItsRanges()
    {
        using var b = Fs.OpenRangeLocks(At("ranges.lock"));
        var a = Fs.OpenRangeLocks(At("ranges.lock"));
        Assert.True(a.TryLock(1));
        Assert.True(a.TryLock(2));
        a.Dispose();
        Assert.True(b.TryLock(1));
        Assert.True(b.TryLock(2));
    }

    [Fact]
    public void RangeLocksOnDifferentFiles_AreIndependent()
    {
        using var a = Fs.OpenRangeLocks(At("one.lock"));
        using var b = Fs.OpenRangeLocks(At("two.lock"));
        Assert.True(a.TryLock(1));
        Assert.True(b.TryLock(1));
        Assert.False(b.IsLockedByOther(1));
    }

    // ---- Syncs ------------------------------------------------------------------------------------------------

    [Fact]
    public void SyncDirectoryAndSyncAll_DoNotThrowOrChangeContent()
    {
        Fs.CreateDirectory(At("d"));
        Fs.WriteAllBytes(At("d", "f.bin"), [1, 2]);
        Fs.SyncDirectory(At("d"));
        Fs.SyncDirectory(Root);
        Fs.SyncAll(Root);
        Fs.SyncAll(At("d", "f.bin"));
        Assert.Equal(new byte[] { 1, 2 }, Fs.TryReadAllBytes(At("d", "f.bin")));
    }
}
