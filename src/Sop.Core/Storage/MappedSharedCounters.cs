using System.IO.MemoryMappedFiles;

namespace Sop.Storage;

/// <summary>Counters in a memory-mapped 4 KiB file: every process mapping it shares the page, so interlocked operations are atomic across processes.</summary>
internal sealed unsafe class MappedSharedCounters : ISharedCounters
{
    private const int Size = 4096;
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private volatile bool _disposed;

    public MappedSharedCounters(string path)
    {
        using (var f = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            if (f.Length < Size) f.SetLength(Size);
        }
        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, Size, MemoryMappedFileAccess.ReadWrite);
        _view = _map.CreateViewAccessor(0, Size, MemoryMappedFileAccess.ReadWrite);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
    }

    public int Count => Size / sizeof(long);

    public Guid Epoch { get; } = ReadBootId();

    private static Guid ReadBootId()
    {
        try
        {
            return Guid.TryParse(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(), out var id) ? id : Guid.Empty;
        }
        catch (IOException)
        {
            return Guid.Empty; // unknown: counters are never trusted across engine generations
        }
        catch (UnauthorizedAccessException)
        {
            return Guid.Empty;
        }
    }

    private ref long At(int index)
    {
        // a use after Dispose must be an exception, not a read of unmapped memory (which kills the process)
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return ref *(long*)(_base + (index * sizeof(long)));
    }

    public long Read(int index) => Interlocked.Read(ref At(index));

    public long Increment(int index) => Interlocked.Increment(ref At(index));

    public void Write(int index, long value) => Interlocked.Exchange(ref At(index), value);

    public void RaiseTo(int index, long value)
    {
        ref long cell = ref At(index);
        for (long seen = Interlocked.Read(ref cell); seen < value; seen = Interlocked.Read(ref cell))
            if (Interlocked.CompareExchange(ref cell, value, seen) == seen) return;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
