using Sop.Storage;

namespace Sop.Redis.Tests.Support;

/// <summary>
/// The same folder seen from another host over a shared file system with close-to-open consistency (decisions.md 17),
/// at its most stale: a file opened here reads what it held when it was opened, plus this handle's own writes — never
/// what another engine wrote after that — and shared memory (the engine's publish counters) is this host's own.
/// Directory operations, whole-file reads and locks go to the shared folder as they are (NFSv4 serves them from the
/// server). Decisions.md says multi-host tests run on one host: this is how.
/// With <paramref name="pagesRefresh"/> the other extreme: every read sees the newest bytes, as when the host's cached
/// pages are dropped and fetched again at the worst moment (in the middle of another host's commit).
/// </summary>
public sealed class OtherHostFileSystem(IFileSystem shared, bool pagesRefresh = false) : IFileSystem
{
    /// <summary>Handles opened here (to check the model really served stale data).</summary>
    public int Opens;

    public bool FileExists(string path) => shared.FileExists(path);

    public bool DirectoryExists(string path) => shared.DirectoryExists(path);

    public void CreateDirectory(string path) => shared.CreateDirectory(path);

    public IRandomAccessFile Open(string path, FileOpenMode mode)
    {
        Interlocked.Increment(ref Opens);
        var file = shared.Open(path, mode);
        return pagesRefresh ? file : new CloseToOpenFile(file);
    }

    public byte[]? TryReadAllBytes(string path) => shared.TryReadAllBytes(path);

    public void WriteAllBytes(string path, ReadOnlySpan<byte> bytes) => shared.WriteAllBytes(path, bytes);

    public DateTimeOffset? GetLastWriteTime(string path) => shared.GetLastWriteTime(path);

    public void DeleteFile(string path) => shared.DeleteFile(path);

    public void DeleteDirectory(string path) => shared.DeleteDirectory(path);

    public void Move(string from, string to) => shared.Move(from, to);

    public IReadOnlyList<string> ListFiles(string directory) => shared.ListFiles(directory);

    public IReadOnlyList<string> ListDirectories(string directory) => shared.ListDirectories(directory);

    public IDisposable? TryLockExclusive(string path) => shared.TryLockExclusive(path);

    public IRangeLockFile OpenRangeLocks(string path) => shared.OpenRangeLocks(path);

    /// <summary>Another host's memory: the counters live beside the shared ones, not in them.</summary>
    public ISharedCounters OpenSharedCounters(string path) => shared.OpenSharedCounters(path + ".other-host");

    public void SyncDirectory(string directory) => shared.SyncDirectory(directory);

    public void SyncAll(string anyPath) => shared.SyncAll(anyPath);

    /// <summary>A handle whose reads come from a copy taken when it was opened; writes go through and into the copy.</summary>
    private sealed class CloseToOpenFile : IRandomAccessFile
    {
        private readonly IRandomAccessFile _inner;
        private readonly object _gate = new();
        private byte[] _copy;
        private long _length;

        public CloseToOpenFile(IRandomAccessFile inner)
        {
            _inner = inner;
            _length = inner.Length;
            _copy = new byte[_length];
            int read = 0;
            while (read < _length)
            {
                int n = inner.Read(read, _copy.AsSpan(read));
                if (n <= 0) break;
                read += n;
            }
        }

        public long Length
        {
            get
            {
                lock (_gate) return _length;
            }
        }

        public void SetLength(long length)
        {
            lock (_gate)
            {
                _inner.SetLength(length);
                Resize(length);
                _length = length;
            }
        }

        public int Read(long offset, Span<byte> buffer)
        {
            lock (_gate)
            {
                if (offset >= _length) return 0;
                int n = (int)Math.Min(buffer.Length, _length - offset);
                _copy.AsSpan((int)offset, n).CopyTo(buffer);
                return n;
            }
        }

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            lock (_gate)
            {
                _inner.Write(offset, data);
                long end = offset + data.Length;
                if (end > _length)
                {
                    Resize(end);
                    _length = end;
                }
                data.CopyTo(_copy.AsSpan((int)offset));
            }
        }

        private void Resize(long length)
        {
            if (length > _copy.Length) Array.Resize(ref _copy, (int)Math.Max(length, _copy.Length * 2L));
            else if (length < _length) _copy.AsSpan((int)length, (int)(_length - length)).Clear();
        }

        public void Flush() => _inner.Flush();

        public void FlushData() => _inner.FlushData();

        public void Dispose() => _inner.Dispose();
    }
}
