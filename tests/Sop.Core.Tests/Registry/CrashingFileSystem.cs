using Sop.Storage;

namespace Sop.Tests.Registry;

/// <summary>
/// Wraps an <see cref="InMemoryFileSystem"/> and cuts the power just before its N-th mutating step (create, write,
/// set-length, flush, sync, rename, delete): the step does not run, everything not yet durable is dropped, and every
/// later call throws <see cref="CrashException"/> as if the process died. Reads are not steps.
/// </summary>
internal sealed class CrashingFileSystem(InMemoryFileSystem inner) : IFileSystem
{
    private readonly List<string> _steps = [];

    /// <summary>The mutating steps run so far, by name (for failure messages).</summary>
    public IReadOnlyList<string> Steps => _steps;

    /// <summary>The index of the step to crash at instead of running it; null never crashes.</summary>
    public int? CrashAt { get; set; }

    /// <summary>True once the power was cut.</summary>
    public bool Crashed { get; private set; }

    /// <summary>Thrown at the crash and by every call after it.</summary>
    public sealed class CrashException() : Exception("simulated power loss");

    private void Step(string name)
    {
        Alive();
        if (_steps.Count == CrashAt)
        {
            Crashed = true;
            inner.SimulatePowerLoss();
            throw new CrashException();
        }
        _steps.Add(name);
    }

    private void Alive()
    {
        if (Crashed) throw new CrashException();
    }

    public bool FileExists(string path)
    {
        Alive();
        return inner.FileExists(path);
    }

    public bool DirectoryExists(string path)
    {
        Alive();
        return inner.DirectoryExists(path);
    }

    public void CreateDirectory(string path)
    {
        Step("CreateDirectory");
        inner.CreateDirectory(path);
    }

    public IRandomAccessFile Open(string path, FileOpenMode mode)
    {
        if (mode is FileOpenMode.Create or FileOpenMode.OpenOrCreate) Step($"Open({mode}) {Path.GetFileName(path)}");
        else Alive();
        return new CrashingFile(this, inner.Open(path, mode), Path.GetFileName(path));
    }

    public byte[]? TryReadAllBytes(string path)
    {
        Alive();
        return inner.TryReadAllBytes(path);
    }

    public void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        Step($"WriteAllBytes {Path.GetFileName(path)}");
        inner.WriteAllBytes(path, bytes);
    }

    public void DeleteFile(string path)
    {
        Step($"DeleteFile {Path.GetFileName(path)}");
        inner.DeleteFile(path);
    }

    public void DeleteDirectory(string path)
    {
        Step("DeleteDirectory");
        inner.DeleteDirectory(path);
    }

    public void Move(string from, string to)
    {
        Step($"Move {Path.GetFileName(from)} {Path.GetFileName(to)}");
        inner.Move(from, to);
    }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        Alive();
        return inner.ListFiles(directory);
    }

    public IReadOnlyList<string> ListDirectories(string directory)
    {
        Alive();
        return inner.ListDirectories(directory);
    }

    public IDisposable? TryLockExclusive(string path)
    {
        Alive();
        return inner.TryLockExclusive(path);
    }

    public void SyncDirectory(string directory)
    {
        Step("SyncDirectory");
        inner.SyncDirectory(directory);
    }

    public void SyncAll(string anyPath)
    {
        Step("SyncAll");
        inner.SyncAll(anyPath);
    }

    private sealed class CrashingFile(CrashingFileSystem fs, IRandomAccessFile inner, string name) : IRandomAccessFile
    {
        public long Length
        {
            get
            {
                fs.Alive();
                return inner.Length;
            }
        }

        public void SetLength(long length)
        {
            fs.Step($"SetLength {name}");
            inner.SetLength(length);
        }

        public int Read(long offset, Span<byte> buffer)
        {
            fs.Alive();
            return inner.Read(offset, buffer);
        }

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            fs.Step($"Write {name}@{offset}");
            inner.Write(offset, data);
        }

        public void Flush()
        {
            fs.Step($"Flush {name}");
            inner.Flush();
        }

        public void Dispose() => inner.Dispose();
    }
}
