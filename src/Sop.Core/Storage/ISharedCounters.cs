namespace Sop.Storage;

/// <summary>
/// A few 64-bit counters shared by every process that opens the same file on this host (a memory-mapped page), with
/// atomic increments. The engine's publish sequence lives here, so a reader in one process notices a commit being
/// published by another.
/// </summary>
public interface ISharedCounters : IDisposable
{
    /// <summary>
    /// Identifies the lifetime of the shared memory: the host's boot for a mapped file (the page cache survives a
    /// crashed process but not a reboot), a power cycle for the in-memory file system.
    /// </summary>
    Guid Epoch { get; }

    /// <summary>How many counters there are.</summary>
    int Count { get; }

    /// <summary>Reads counter <paramref name="index"/> (a full fence).</summary>
    long Read(int index);

    /// <summary>Sets counter <paramref name="index"/> (a full fence).</summary>
    void Write(int index, long value);

    /// <summary>Raises counter <paramref name="index"/> to at least <paramref name="value"/>, atomically.</summary>
    void RaiseTo(int index, long value);

    /// <summary>Atomically adds one to counter <paramref name="index"/> and returns the new value.</summary>
    long Increment(int index);
}
