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

    /// <summary>Makes everything written to this file durable (fsync).</summary>
    void Flush();
}
