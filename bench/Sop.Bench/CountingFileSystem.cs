using Sop.Storage;

namespace Sop.Bench;

/// <summary>
/// The real file system with counters: every <see cref="IRandomAccessFile.Flush"/> and <see cref="SyncDirectory"/>
/// (an <c>fsync</c> each), every <see cref="IRandomAccessFile.FlushData"/> (an <c>fdatasync</c>, counted among the
/// fsyncs and on its own) and every <see cref="SyncAll"/> (a <c>syncfs</c>) the engine asks for. The durable rows
/// read the counters around their measured part to report fsyncs per commit without strace. Costs one interface
/// call and one interlocked increment per call.
/// </summary>
/// <remarks>Forwards every <see cref="IFileSystem"/> member by hand: a member added to the interface must be added here.</remarks>
internal sealed class CountingFileSystem(IFileSystem inner) : IFileSystem
{
    private long _fsyncs;
    private long _fdatasyncs;
    private long _syncAlls;

    public CountingFileSystem() : this(LocalFileSystem.Instance)
    {
    }

    /// <summary>fsync calls (file flushes, data-only ones included, plus folder syncs) so far.</summary>
    public long Fsyncs => Interlocked.Read(ref _fsyncs);

    /// <summary>fdatasync calls (data-only file flushes) so far; also counted in <see cref="Fsyncs"/>.</summary>
    public long Fdatasyncs => Interlocked.Read(ref _fdatasyncs);

    /// <summary>syncfs calls so far.</summary>
    public long SyncAlls => Interlocked.Read(ref _syncAlls);

    public bool FileExists(string path) => inner.FileExists(path);

    public bool DirectoryExists(string path) => inner.DirectoryExists(path);

    public void CreateDirectory(string path) => inner.CreateDirectory(path);

    public IRandomAccessFile Open(string path, FileOpenMode mode) => new CountingFile(inner.Open(path, mode), this);

    public byte[]? TryReadAllBytes(string path) => inner.TryReadAllBytes(path);

    public void WriteAllBytes(string path, ReadOnlySpan<byte> bytes) => inner.WriteAllBytes(path, bytes);

    public void DeleteFile(string path) => inner.DeleteFile(path);

    public void DeleteDirectory(string path) => inner.DeleteDirectory(path);

    public void Move(string from, string to) => inner.Move(from, to);

    public IReadOnlyList<string> ListFiles(string directory) => inner.ListFiles(directory);

    public IReadOnlyList<string> ListDirectories(string directory) => inner.ListDirectories(directory);

    public IDisposable? TryLockExclusive(string path) => inner.TryLockExclusive(path);

    public IRangeLockFile OpenRangeLocks(string path) => inner.OpenRangeLocks(path);

    public ISharedCounters OpenSharedCounters(string path) => inner.OpenSharedCounters(path);

    public DateTimeOffset? GetLastWriteTime(string path) => inner.GetLastWriteTime(path);

    public void SyncDirectory(string directory)
    {
        inner.SyncDirectory(directory);
        Interlocked.Increment(ref _fsyncs);
    }

    public void SyncAll(string anyPath)
    {
        inner.SyncAll(anyPath);
        Interlocked.Increment(ref _syncAlls);
    }

    private sealed class CountingFile(IRandomAccessFile file, CountingFileSystem owner) : IRandomAccessFile
    {
        public long Length => file.Length;

        public void SetLength(long length) => file.SetLength(length);

        public int Read(long offset, Span<byte> buffer) => file.Read(offset, buffer);

        public void Write(long offset, ReadOnlySpan<byte> data) => file.Write(offset, data);

        public void Flush()
        {
            file.Flush();
            Interlocked.Increment(ref owner._fsyncs);
        }

        public void FlushData()
        {
            file.FlushData();
            Interlocked.Increment(ref owner._fsyncs);
            Interlocked.Increment(ref owner._fdatasyncs);
        }

        public void Dispose() => file.Dispose();
    }
}

/// <summary>fsync and syncfs counts of a measured part: take one before, one after, subtract.</summary>
internal readonly record struct SyncCounts(long Fsyncs, long Fdatasyncs, long SyncAlls)
{
    public static SyncCounts Of(CountingFileSystem fs) => new(fs.Fsyncs, fs.Fdatasyncs, fs.SyncAlls);

    public static SyncCounts operator -(SyncCounts after, SyncCounts before) =>
        new(after.Fsyncs - before.Fsyncs, after.Fdatasyncs - before.Fdatasyncs, after.SyncAlls - before.SyncAlls);

    /// <summary>"1.00 fsync/commit (200 for 200, 200 of them fdatasync)", plus the syncfs calls when there were any.</summary>
    public string PerCommit(long commits) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(commits > 0 ? (double)Fsyncs / commits : 0):F2} fsync/commit ({Fsyncs} for {commits}")
        + (Fdatasyncs > 0 ? $", {Fdatasyncs} of them fdatasync)" : ")")
        + (SyncAlls > 0 ? $" + {SyncAlls} syncfs" : "");
}
