using System.Buffers;
using Sop.Storage;

namespace Sop.Log;

/// <summary>
/// Reading, creating and repairing one log segment file. A segment is zero-filled ahead of its records
/// (preallocated) so a commit overwrites blocks that already exist and needs only an fdatasync; segments written
/// before preallocation end at their last record, and both kinds read the same way.
/// </summary>
internal static class LogSegmentFile
{
    private const int ChunkBytes = 1 << 20; // zero-fill and scan in 1 MiB steps
    private const int BlockBytes = 4096; // sizes are rounded up to whole file-system blocks
    private static readonly byte[] s_zeros = new byte[ChunkBytes];

    /// <summary>
    /// Creates a segment of <paramref name="bytes"/> zeros: writes them (a file extended with ftruncate or fallocate
    /// would have holes or unwritten extents, and the first write into those changes metadata, which fdatasync
    /// then has to journal), fsyncs the file (data and length) and then its folder, so the length and the entry
    /// are durable before any record relies on them.
    /// </summary>
    public static IRandomAccessFile Create(IFileSystem fs, string path, long bytes)
    {
        var file = fs.Open(path, FileOpenMode.Create);
        try
        {
            ZeroFill(file, 0, RoundUp(bytes));
            file.Flush();
            fs.SyncDirectory(Path.GetDirectoryName(path)!);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes zeros over <c>[from, to)</c> (not durable until a flush).</summary>
    public static void ZeroFill(IRandomAccessFile file, long from, long to)
    {
        for (long at = from; at < to; at += ChunkBytes)
            file.Write(at, s_zeros.AsSpan(0, (int)Math.Min(ChunkBytes, to - at)));
    }

    /// <summary>Rounds a size up to whole blocks.</summary>
    public static long RoundUp(long bytes) => (bytes + BlockBytes - 1) / BlockBytes * BlockBytes;

    /// <summary>
    /// Reads the consecutive valid records from the start of the file and returns the offset after the last one.
    /// The records end at the first header that is not valid (the zeros of a preallocated tail, a torn or stale
    /// record), that carries another sequence number than <paramref name="expected"/>, or whose payload fails its
    /// CRC or runs past the end of the file.
    /// </summary>
    public static long ReadRecords(IRandomAccessFile file, ref ulong expected, List<LoggedRecord> into)
    {
        long length = file.Length;
        long offset = 0;
        var header = new byte[LogFrame.HeaderSize];
        while (offset + LogFrame.HeaderSize <= length && file.Read(offset, header) == LogFrame.HeaderSize)
        {
            int payloadLength = LogFrame.TryReadHeader(header, out ulong seq);
            if (payloadLength < 0 || seq != expected || offset + LogFrame.HeaderSize + payloadLength > length) break;
            var payload = new byte[payloadLength];
            if (file.Read(offset + LogFrame.HeaderSize, payload) < payloadLength || !LogFrame.ChecksumMatches(header, payload)) break;
            into.Add(new LoggedRecord(seq, payload));
            offset += LogFrame.HeaderSize + payloadLength;
            expected++;
        }
        return offset;
    }

    /// <summary>
    /// Prepares the last segment for appending at <paramref name="end"/> (where its valid records stop): zeros every
    /// byte after it that is not zero, then fsyncs. The file keeps its length (the preallocation stays).
    /// </summary>
    /// <remarks>
    /// Without this, bytes of a batch that never became durable whole (a torn write, or later pages of it that
    /// reached the disk while an earlier one did not) could sit right where a new, shorter batch ends and pass as
    /// its successors: their sequence numbers and CRCs are valid. The fsync also covers a length that a killed
    /// predecessor changed without making it durable, since appends only fdatasync.
    /// </remarks>
    public static void ClearTail(IRandomAccessFile file, long end)
    {
        long dirtyEnd = LastNonZeroEnd(file, end);
        if (dirtyEnd > end) ZeroFill(file, end, dirtyEnd);
        file.Flush();
    }

    /// <summary>The offset just after the last byte at or after <paramref name="from"/> that is not zero, or <paramref name="from"/> when all are zero.</summary>
    private static long LastNonZeroEnd(IRandomAccessFile file, long from)
    {
        long length = file.Length;
        long result = from;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (long at = from; at < length;)
            {
                int n = file.Read(at, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, length - at)));
                if (n == 0) break;
                int last = buffer.AsSpan(0, n).LastIndexOfAnyExcept((byte)0);
                if (last >= 0) result = at + last + 1;
                at += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return result;
    }
}
