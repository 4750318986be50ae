namespace Sop.Storage;

/// <summary>
/// Wraps a file system and injects faults at numbered I/O operations, like a flaky device: a crash (the operation
/// and every later one throw, optionally leaving a torn prefix of the write), a failed fsync, or a full disk for a
/// range of operations. Every mutating call (create, write, set-length, flush or data flush, sync, rename, delete, mkdir) is one
/// numbered operation, starting at 1; reads are not counted.
/// </summary>
/// <remarks>
/// Used by the crash tests: run a workload with <see cref="CrashAtOperation"/> = N for every N, then reopen the
/// folder (after <see cref="InMemoryFileSystem.SimulatePowerLoss"/> for the power-cut variant) and check invariants.
/// </remarks>
public sealed class FaultInjectingFileSystem(IFileSystem inner) : IFileSystem
{
    private long _operations;

    /// <summary>The operation number at which the "process" crashes; null for never.</summary>
    public long? CrashAtOperation { get; set; }

    /// <summary>When the crash hits a write, write this fraction (0..1) of it first (a torn write).</summary>
    public double TornWriteFraction { get; set; }

    /// <summary>Writes among the operations in this range fail with a disk-full error (and succeed again afterwards).</summary>
    public (long From, long To)? DiskFullOperations { get; set; }

    /// <summary>When set, disk-full and flush faults hit only operations on paths it accepts (e.g. only the commit log).</summary>
    public Func<string, bool>? FaultPaths { get; set; }

    /// <summary>When set, the "process" crashes at the first mutating operation on a path it accepts.</summary>
    public Func<string, bool>? CrashOnPath { get; set; }

    /// <summary>When true, every flush/sync fails (as after a device error) without crashing.</summary>
    public bool FailFlushes { get; set; }

    /// <summary>True once the crash happened.</summary>
    public bool Crashed { get; private set; }

    /// <summary>Mutating operations seen so far.</summary>
    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>Once the "process" crashed, every later call fails, reads included, before it touches anything.</summary>
    private void Alive()
    {
        if (Crashed) throw new IOException("injected crash: the process is gone");
    }

    private void Step(string path, bool isFlush = false, bool isWrite = false)
    {
        Alive();
        long n = Interlocked.Increment(ref _operations);
        if (CrashAtOperation == n || CrashOnPath?.Invoke(path) == true)
        {
            Crashed = true;
            throw new IOException($"injected crash at operation {n}");
        }
        if (FaultPaths is { } accepts && !accepts(path)) return;
        if (isWrite && DiskFullOperations is { } r && n >= r.From && n <= r.To) throw new IOException($"No space left on device (injected at operation {n})");
        if (isFlush && FailFlushes) throw new IOException($"injected fsync failure at operation {n}");
    }

    private void StepWrite(string path, Action<int> writePrefix, int length)
    {
        if (!Crashed && CrashAtOperation == Operations + 1 && TornWriteFraction > 0)
            writePrefix((int)(length * TornWriteFraction));
        Step(path, isWrite: true);
    }

    /// <inheritdoc />
    public bool FileExists(string path)
    {
        Alive();
        return inner.FileExists(path);
    }

    /// <inheritdoc />
    public bool DirectoryExists(string path)
    {
        Alive();
        return inner.DirectoryExists(path);
    }

    /// <inheritdoc />
    public void CreateDirectory(string path)
    {
        Step(path);
        inner.CreateDirectory(path);
    }

    /// <inheritdoc />
    public IRandomAccessFile Open(string path, FileOpenMode mode)
    {
        if (mode is FileOpenMode.Create or FileOpenMode.OpenOrCreate) Step(path);
        else Alive();
        return new FaultyFile(this, path, inner.Open(path, mode));
    }

    /// <inheritdoc />
    public byte[]? TryReadAllBytes(string path)
    {
        Alive();
        return inner.TryReadAllBytes(path);
    }

    /// <inheritdoc />
    public void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        StepWrite(path, n => inner.WriteAllBytes(path, copy.AsSpan(0, n)), copy.Length);
        inner.WriteAllBytes(path, copy);
    }

    /// <inheritdoc />
    public DateTimeOffset? GetLastWriteTime(string path)
    {
        Alive();
        return inner.GetLastWriteTime(path);
    }

    /// <inheritdoc />
    public void DeleteFile(string path)
    {
        Step(path);
        inner.DeleteFile(path);
    }

    /// <inheritdoc />
    public void DeleteDirectory(string path)
    {
        Step(path);
        inner.DeleteDirectory(path);
    }

    /// <inheritdoc />
    public void Move(string from, string to)
    {
        Step(to);
        inner.Move(from, to);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string directory)
    {
        Alive();
        return inner.ListFiles(directory);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListDirectories(string directory)
    {
        Alive();
        return inner.ListDirectories(directory);
    }

    /// <inheritdoc />
    public IDisposable? TryLockExclusive(string path)
    {
        Alive();
        return inner.TryLockExclusive(path);
    }

    /// <inheritdoc />
    public IRangeLockFile OpenRangeLocks(string path)
    {
        Alive();
        return inner.OpenRangeLocks(path);
    }

    /// <inheritdoc />
    public ISharedCounters OpenSharedCounters(string path)
    {
        Alive();
        return inner.OpenSharedCounters(path);
    }

    /// <inheritdoc />
    public void SyncDirectory(string directory)
    {
        Step(directory, isFlush: true);
        inner.SyncDirectory(directory);
    }

    /// <inheritdoc />
    public void SyncAll(string anyPath)
    {
        Step(anyPath, isFlush: true);
        inner.SyncAll(anyPath);
    }

    private sealed class FaultyFile(FaultInjectingFileSystem fs, string path, IRandomAccessFile file) : IRandomAccessFile
    {
        public long Length
        {
            get
            {
                fs.Alive();
                return file.Length;
            }
        }

        public void SetLength(long length)
        {
            fs.Step(path);
            file.SetLength(length);
        }

        public int Read(long offset, Span<byte> buffer)
        {
            fs.Alive();
            return file.Read(offset, buffer);
        }

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            byte[] copy = data.ToArray();
            fs.StepWrite(path, n => file.Write(offset, copy.AsSpan(0, n)), copy.Length);
            file.Write(offset, copy);
        }

        public void Flush()
        {
            fs.Step(path, isFlush: true);
            file.Flush();
        }

        public void FlushData()
        {
            fs.Step(path, isFlush: true); // a flush like any other: numbered, and failed by FailFlushes
            file.FlushData();
        }

        public void Dispose() => file.Dispose();
    }
}
