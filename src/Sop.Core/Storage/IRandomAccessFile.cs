namespace Sop.Storage;

/// <summary>An open file with positioned reads and writes (pread/pwrite). Thread-safe for concurrent positioned calls.</summary>
public interface IRandomAccessFile : IDisposable
{
    /// <summary>Current length in bytes.</summary>
    long Length { get; }

    /// <summary>Grows (zero-filled) or shrinks the file.</summary>
    void SetLength(long length);

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>; returns how many were read (fewer at the end).</summary>
    int Read(long offset, Span<byte> buffer);

    /// <summary>Writes all bytes at <paramref name="offset"/>, growing the file if needed (not durable until <see cref="Flush"/>).</summary>
    void Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>Makes everything written to this file durable, its length included (fsync).</summary>
    void Flush();

    /// <summary>
    /// Makes the bytes written inside the file's durable length durable, but not a change of the length itself
    /// (fdatasync). Meant for overwriting a preallocated file in place: with no size or allocation change the kernel
    /// writes the data blocks and skips the metadata journal commit that <see cref="Flush"/> pays.
    /// </summary>
    /// <remarks>
    /// The contract is stricter than Linux, whose fdatasync also persists a size change (paying that journal
    /// commit): callers must not rely on it, so bytes written past the length last made durable by
    /// <see cref="Flush"/> (or a sync of everything) are not covered. <see cref="InMemoryFileSystem"/> models
    /// exactly this, so a caller that grows a file and only calls this loses the growth in power-loss tests.
    /// </remarks>
    void FlushData();
}
