namespace Sop.Storage;

/// <summary>
/// A file system in memory that tracks what would survive a power loss, following the <see cref="IFileSystem"/>
/// durability contract: file bytes survive after a flush of the file, entries (create, rename, delete, mkdir) after
/// a sync of their folder; <see cref="IFileSystem.SyncAll"/> makes everything durable. <see cref="SimulatePowerLoss"/>
/// drops the rest. Used by tests so crash tests run fast and check fsync discipline, not just kill -9.
/// <see cref="IRandomAccessFile.FlushData"/> keeps the bytes inside the file's durable length but not a length change,
/// as its contract says (stricter than Linux on purpose).
/// </summary>
public sealed partial class InMemoryFileSystem(TimeProvider? time = null) : IFileSystem
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly object _gate = new();
    private readonly Dictionary<string, MemFile> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirs = new(StringComparer.Ordinal) { "/" };
    private readonly Dictionary<string, object> _locks = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Path, long Offset), object> _rangeLocks = [];
    private readonly Dictionary<string, long[]> _counters = new(StringComparer.Ordinal); // shared memory: gone with a power loss
    private Dictionary<string, MemFile> _durableFiles = new(StringComparer.Ordinal);
    private HashSet<string> _durableDirs = new(StringComparer.Ordinal) { "/" };

    /// <summary>How many times a file was flushed (data-only flushes included) or a sync ran (an fsync count for tests and benchmarks).</summary>
    public long SyncCount { get; private set; }

    /// <summary>How many of <see cref="SyncCount"/> were data-only flushes (<see cref="IRandomAccessFile.FlushData"/>, fdatasync).</summary>
    public long DataSyncCount { get; private set; }

    /// <inheritdoc />
    public bool FileExists(string path)
    {
        lock (_gate) return _files.ContainsKey(Norm(path));
    }

    /// <inheritdoc />
    public bool DirectoryExists(string path)
    {
        lock (_gate) return _dirs.Contains(Norm(path));
    }

    /// <inheritdoc />
    public void CreateDirectory(string path)
    {
        lock (_gate)
        {
            for (string? d = Norm(path); d is not null && _dirs.Add(d); d = Parent(d))
            {
            }
        }
    }

    /// <inheritdoc />
    public IRandomAccessFile Open(string path, FileOpenMode mode)
    {
        string p = Norm(path);
        lock (_gate)
        {
            RequireParent(p);
            _files.TryGetValue(p, out var file);
            switch (mode)
            {
                case FileOpenMode.Open or FileOpenMode.ReadOnly when file is null:
                    throw new FileNotFoundException($"no such file: {p}", p);
                case FileOpenMode.Create:
                case FileOpenMode.OpenOrCreate when file is null:
                    file = new MemFile { Written = _time.GetUtcNow() };
                    _files[p] = file;
                    break;
            }
            return new MemHandle(this, file!, readOnly: mode == FileOpenMode.ReadOnly);
        }
    }

    /// <inheritdoc />
    public byte[]? TryReadAllBytes(string path)
    {
        lock (_gate) return _files.TryGetValue(Norm(path), out var f) ? f.ToArray() : null;
    }

    /// <inheritdoc />
    public void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        string p = Norm(path);
        lock (_gate)
        {
            RequireParent(p);
            var f = new MemFile { Written = _time.GetUtcNow() };
            f.WriteAt(0, bytes);
            _files[p] = f;
        }
    }

    /// <inheritdoc />
    public DateTimeOffset? GetLastWriteTime(string path)
    {
        lock (_gate) return _files.TryGetValue(Norm(path), out var f) ? f.Written : null;
    }

    /// <inheritdoc />
    public void DeleteFile(string path)
    {
        lock (_gate) _files.Remove(Norm(path));
    }

    /// <inheritdoc />
    public void DeleteDirectory(string path)
    {
        string p = Norm(path);
        string prefix = p == "/" ? "/" : p + "/";
        lock (_gate)
        {
            foreach (var f in _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList()) _files.Remove(f);
            foreach (var d in _dirs.Where(k => k == p || k.StartsWith(prefix, StringComparison.Ordinal)).ToList()) _dirs.Remove(d);
        }
    }

    /// <inheritdoc />
    public void Move(string from, string to)
    {
        string f = Norm(from), t = Norm(to);
        lock (_gate)
        {
            RequireParent(t);
            if (!_files.Remove(f, out var file)) throw new FileNotFoundException($"no such file: {f}", f);
            _files[t] = file;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string directory)
    {
        string d = Norm(directory);
        lock (_gate) return _files.Keys.Where(k => Parent(k) == d).Select(Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListDirectories(string directory)
    {
        string d = Norm(directory);
        lock (_gate) return _dirs.Where(k => k != "/" && Parent(k) == d).Select(Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc />
    public IDisposable? TryLockExclusive(string path)
    {
        string p = Norm(path);
        lock (_gate)
        {
            RequireParent(p);
            if (_locks.ContainsKey(p)) return null;
            if (!_files.ContainsKey(p)) _files[p] = new MemFile(); // like the real one, the lock file exists afterwards
            var release = new LockRelease(this, p);
            _locks[p] = release;
            return release;
        }
    }

    /// <inheritdoc />
    public IRangeLockFile OpenRangeLocks(string path)
    {
        string p = Norm(path);
        lock (_gate)
        {
            RequireParent(p);
            if (!_files.ContainsKey(p)) _files[p] = new MemFile();
            return new MemRangeLocks(this, p);
        }
    }

    /// <inheritdoc />
    public ISharedCounters OpenSharedCounters(string path)
    {
        string p = Norm(path);
        lock (_gate)
        {
            RequireParent(p);
            if (!_counters.TryGetValue(p, out var values)) _counters[p] = values = new long[512];
            return new MemCounters(values, _powerCycle);
        }
    }

    private Guid _powerCycle = Guid.NewGuid();

    private sealed class MemCounters(long[] values, Guid epoch) : ISharedCounters
    {
        public Guid Epoch => epoch;

        public int Count => values.Length;

        public long Read(int index) => Interlocked.Read(ref values[index]);

        public long Increment(int index) => Interlocked.Increment(ref values[index]);

        public void Write(int index, long value) => Interlocked.Exchange(ref values[index], value);

        public void RaiseTo(int index, long value)
        {
            for (long seen = Interlocked.Read(ref values[index]); seen < value; seen = Interlocked.Read(ref values[index]))
                if (Interlocked.CompareExchange(ref values[index], value, seen) == seen) return;
        }

        public void Dispose()
        {
        }
    }

    private sealed class MemRangeLocks(InMemoryFileSystem fs, string path) : IRangeLockFile
    {
        public bool TryLock(long offset)
        {
            lock (fs._gate)
            {
                if (fs._rangeLocks.TryGetValue((path, offset), out var holder) && !ReferenceEquals(holder, this)) return false;
                fs._rangeLocks[(path, offset)] = this;
                return true;
            }
        }

        public void Unlock(long offset)
        {
            lock (fs._gate)
            {
                if (fs._rangeLocks.TryGetValue((path, offset), out var holder) && ReferenceEquals(holder, this)) fs._rangeLocks.Remove((path, offset));
            }
        }

        public bool IsLockedByOther(long offset)
        {
            lock (fs._gate) return fs._rangeLocks.TryGetValue((path, offset), out var holder) && !ReferenceEquals(holder, this);
        }

        public void Dispose()
        {
            lock (fs._gate)
            {
                foreach (var key in fs._rangeLocks.Where(kv => ReferenceEquals(kv.Value, this)).Select(kv => kv.Key).ToList()) fs._rangeLocks.Remove(key);
            }
        }
    }

    private sealed class LockRelease(InMemoryFileSystem fs, string path) : IDisposable
    {
        public void Dispose()
        {
            lock (fs._gate)
            {
                // After a simulated power loss another holder may own the path: only our own hold is released.
                if (fs._locks.TryGetValue(path, out var holder) && ReferenceEquals(holder, this)) fs._locks.Remove(path);
            }
        }
    }

    /// <inheritdoc />
    public void SyncDirectory(string directory)
    {
        string d = Norm(directory);
        lock (_gate)
        {
            SyncCount++;
            foreach (var k in _durableFiles.Keys.Where(k => Parent(k) == d).ToList())
                if (!_files.ContainsKey(k)) _durableFiles.Remove(k);
            foreach (var (k, v) in _files.Where(kv => Parent(kv.Key) == d)) _durableFiles[k] = v;
            foreach (var k in _durableDirs.Where(k => k != "/" && Parent(k) == d).ToList())
                if (!_dirs.Contains(k)) _durableDirs.Remove(k);
            foreach (var k in _dirs.Where(k => k != "/" && Parent(k) == d)) _durableDirs.Add(k);
        }
    }

    /// <inheritdoc />
    public void SyncAll(string anyPath)
    {
        lock (_gate)
        {
            SyncCount++;
            _durableFiles = new Dictionary<string, MemFile>(_files, StringComparer.Ordinal);
            _durableDirs = new HashSet<string>(_dirs, StringComparer.Ordinal);
            foreach (var f in _files.Values) f.MakeDurable();
        }
    }

    /// <summary>
    /// Drops everything not yet durable, as a power cut would: un-synced entries vanish or come back, files lose
    /// un-flushed bytes. Handles opened before stay usable but see the rolled-back content. Locks are released (their
    /// processes are gone). With <paramref name="keepPageCache"/> it models kill -9 instead: only the locks go.
    /// </summary>
    public void SimulatePowerLoss(bool keepPageCache = false)
    {
        lock (_gate)
        {
            _rangeLocks.Clear(); // the processes holding them are gone
            if (keepPageCache)
            {
                _locks.Clear();
                return;
            }
            _counters.Clear();
            _powerCycle = Guid.NewGuid();
            _dirs.Clear();
            _locks.Clear(); // the processes holding them are gone
            foreach (var d in _durableDirs)
                if (HasDurableAncestors(d, _durableDirs)) _dirs.Add(d);
            _files.Clear();
            foreach (var (k, v) in _durableFiles)
            {
                if (!HasDurableAncestors(k)) continue;
                v.RevertToDurable();
                _files[k] = v;
            }
        }
    }

    /// <summary>A deep copy (current and durable state; no locks), for running a probe on the same content.</summary>
    public InMemoryFileSystem Clone()
    {
        lock (_gate)
        {
            var copy = new InMemoryFileSystem(_time);
            copy._dirs.Clear();
            foreach (var d in _dirs) copy._dirs.Add(d);
            copy._durableDirs = new HashSet<string>(_durableDirs, StringComparer.Ordinal);
            var map = new Dictionary<MemFile, MemFile>(ReferenceEqualityComparer.Instance);
            MemFile Copy(MemFile f) => map.TryGetValue(f, out var c) ? c : map[f] = f.Copy();
            foreach (var (k, v) in _files) copy._files[k] = Copy(v);
            copy._durableFiles = _durableFiles.ToDictionary(kv => kv.Key, kv => Copy(kv.Value), StringComparer.Ordinal);
            return copy;
        }
    }

    private bool HasDurableAncestors(string path) => HasDurableAncestors(path, _dirs);

    private static bool HasDurableAncestors(string path, HashSet<string> dirs)
    {
        for (string? d = Parent(path); d is not null; d = Parent(d))
            if (!dirs.Contains(d)) return false;
        return true;
    }

    private void RequireParent(string p)
    {
        string? parent = Parent(p);
        if (parent is not null && !_dirs.Contains(parent)) throw new DirectoryNotFoundException($"no such folder: {parent}");
    }

    private static string Norm(string path)
    {
        string p = path.Replace('\\', '/');
        if (!p.StartsWith('/')) p = "/" + p;
        while (p.Length > 1 && p.EndsWith('/')) p = p[..^1];
        return p.Replace("//", "/");
    }

    private static string? Parent(string p)
    {
        if (p == "/") return null;
        int i = p.LastIndexOf('/');
        return i <= 0 ? "/" : p[..i];
    }

    private static string Name(string p) => p[(p.LastIndexOf('/') + 1)..];

    private sealed class MemHandle(InMemoryFileSystem fs, MemFile file, bool readOnly) : IRandomAccessFile
    {
        public long Length
        {
            get { lock (fs._gate) return file.Length; }
        }

        public void SetLength(long length)
        {
            lock (fs._gate) file.SetLength(length);
        }

        public int Read(long offset, Span<byte> buffer)
        {
            lock (fs._gate) return file.Read(offset, buffer);
        }

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            if (readOnly) throw new UnauthorizedAccessException("file opened read-only");
            lock (fs._gate)
            {
                file.WriteAt(offset, data);
                file.Written = fs._time.GetUtcNow();
            }
        }

        public void Flush()
        {
            lock (fs._gate)
            {
                fs.SyncCount++;
                file.MakeDurable();
            }
        }

        public void FlushData()
        {
            lock (fs._gate)
            {
                fs.SyncCount++;
                fs.DataSyncCount++;
                file.MakeDataDurable();
            }
        }

        public void Dispose()
        {
        }
    }
}
