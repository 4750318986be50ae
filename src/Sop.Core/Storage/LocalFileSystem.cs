using Microsoft.Win32.SafeHandles;

namespace Sop.Storage;

/// <summary>The real file system: positioned I/O through <see cref="RandomAccess"/>, fsync and fdatasync through the OS.</summary>
public sealed class LocalFileSystem : IFileSystem
{
    /// <summary>The shared instance (the type holds no state).</summary>
    public static readonly LocalFileSystem Instance = new();

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc />
    public bool DirectoryExists(string path) => Directory.Exists(path);

    /// <inheritdoc />
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <inheritdoc />
    public IRandomAccessFile Open(string path, FileOpenMode mode)
    {
        var (fileMode, access) = mode switch
        {
            FileOpenMode.Open => (FileMode.Open, FileAccess.ReadWrite),
            FileOpenMode.OpenOrCreate => (FileMode.OpenOrCreate, FileAccess.ReadWrite),
            FileOpenMode.Create => (FileMode.Create, FileAccess.ReadWrite),
            FileOpenMode.ReadOnly => (FileMode.Open, FileAccess.Read),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        // FileShare.ReadWrite|Delete: other engines on the same folder read and write these files too, and
        // obsolete blobs are deleted while a reader may still hold them open.
        var handle = File.OpenHandle(path, fileMode, access, FileShare.ReadWrite | FileShare.Delete);
        return new LocalFile(handle);
    }

    /// <inheritdoc />
    public byte[]? TryReadAllBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        if (OperatingSystem.IsLinux())
        {
            WholeFileWriter.Write(path, bytes);
            return;
        }
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.Write(handle, bytes, 0);
    }

    /// <inheritdoc />
    public DateTimeOffset? GetLastWriteTime(string path) => File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : null;

    /// <inheritdoc />
    public void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone with its folder
        }
    }

    /// <inheritdoc />
    public void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <inheritdoc />
    public void Move(string from, string to) => File.Move(from, to, overwrite: true);

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory).Select(p => Path.GetFileName(p)).ToArray() : [];

    /// <inheritdoc />
    public IReadOnlyList<string> ListDirectories(string directory) =>
        Directory.Exists(directory) ? Directory.GetDirectories(directory).Select(p => Path.GetFileName(p)).ToArray() : [];

    /// <inheritdoc />
    public IDisposable? TryLockExclusive(string path)
    {
        try
        {
            // .NET on Unix backs FileShare.None with an exclusive flock on this open file description.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException e) when (e is not DirectoryNotFoundException and not FileNotFoundException)
        {
            return null; // held by another open file description
        }
    }

    /// <inheritdoc />
    public IRangeLockFile OpenRangeLocks(string path)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("byte-range locks across processes need Linux open-file-description locks");
        return new OfdLockFile(File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));
    }

    private sealed class OfdLockFile(SafeFileHandle handle) : IRangeLockFile
    {
        private int Fd => (int)handle.DangerousGetHandle();

        public bool TryLock(long offset) => NativeMethods.OfdLock(Fd, offset, locked: true);

        public void Unlock(long offset) => NativeMethods.OfdLock(Fd, offset, locked: false);

        public bool IsLockedByOther(long offset) => NativeMethods.OfdIsLocked(Fd, offset);

        public void Dispose() => handle.Dispose();
    }

    /// <inheritdoc />
    public ISharedCounters OpenSharedCounters(string path) => new MappedSharedCounters(path);

    /// <inheritdoc />
    public void SyncDirectory(string directory) => NativeMethods.FsyncDirectory(directory);

    /// <inheritdoc />
    public void SyncAll(string anyPath) => NativeMethods.SyncFileSystem(anyPath);

    private sealed class LocalFile(SafeFileHandle handle) : IRandomAccessFile
    {
        public long Length => RandomAccess.GetLength(handle);

        public void SetLength(long length) => RandomAccess.SetLength(handle, length);

        public int Read(long offset, Span<byte> buffer)
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int n = RandomAccess.Read(handle, buffer[total..], offset + total);
                if (n == 0) break;
                total += n;
            }
            return total;
        }

        public void Write(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(handle, data, offset);

        public void Flush() => RandomAccess.FlushToDisk(handle);

        public void FlushData() => NativeMethods.FlushData(handle);

        public void Dispose() => handle.Dispose();
    }
}
