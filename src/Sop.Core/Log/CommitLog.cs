using Sop.Storage;

namespace Sop.Log;

/// <summary>
/// The append-only commit log of one writer slot: segment files <c>log/w&lt;slot&gt;/&lt;firstSeq&gt;.log</c> holding
/// framed records (<see cref="LogFrame"/>) with consecutive sequence numbers, zero-filled past the last record.
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> A segment is created zero-filled (preallocated) and made durable, length and folder entry
/// included. <see cref="AppendBatch"/> then writes a batch of records with one positioned write inside that length and
/// makes it durable with one fdatasync: the fdatasync is the commit point of every record in the batch (group
/// commit). Overwriting blocks that exist changes no file metadata, so it skips the journal commit an append with
/// fsync pays for the new length. A batch that does not fit grows the segment and pays one fsync instead. A crash
/// before the flush returns may keep any part of the batch; a record is either wholly valid or rejected by its CRC,
/// length and sequence number, and reopening zeros whatever follows the last valid record.</para>
/// <para><b>Truncation.</b> <see cref="RollSegment"/> starts a new segment; <see cref="DeleteSegmentsBefore"/> removes
/// segments whose every record is covered by a checkpoint. Not thread-safe: the commit pipeline serializes calls.</para>
/// </remarks>
public sealed class CommitLog : IDisposable
{
    /// <summary>
    /// Default size a new segment is zero-filled to, and the step it grows by. A new segment is written (zeros) and
    /// fsynced while commits wait, and that cost grows with this; each growth costs one fsync, which 4 MiB of small
    /// records spreads over thousands of commits.
    /// </summary>
    public const long DefaultPreallocatedBytes = 4L << 20;

    private readonly IFileSystem _fs;
    private readonly DataFolderLayout _layout;
    private readonly int _slot;
    private readonly long _preallocatedBytes;
    private IRandomAccessFile _segment;
    private ulong _segmentFirstSeq;
    private long _writeOffset;
    private long _durableLength; // the segment's length as last made durable: appends below it need only fdatasync

    private CommitLog(IFileSystem fs, DataFolderLayout layout, int slot, long preallocatedBytes, IRandomAccessFile segment, ulong firstSeq, long offset, ulong nextSeq)
    {
        _fs = fs;
        _layout = layout;
        _slot = slot;
        _preallocatedBytes = preallocatedBytes;
        _segment = segment;
        _segmentFirstSeq = firstSeq;
        _writeOffset = offset;
        _durableLength = segment.Length;
        NextSeq = nextSeq;
    }

    /// <summary>The sequence number the next appended record gets.</summary>
    public ulong NextSeq { get; private set; }

    /// <summary>Bytes of records in the current segment (not its preallocated length).</summary>
    public long SegmentBytes => _writeOffset;

    /// <summary>
    /// Opens a writer slot's log: reads every valid record (for recovery), zeros whatever follows the last one (a torn
    /// tail) without shrinking the segment, and positions for appending after it.
    /// </summary>
    /// <param name="fs">The file system of the folder.</param>
    /// <param name="layout">The folder's paths.</param>
    /// <param name="slot">The writer slot whose log this is.</param>
    /// <param name="records">Every valid record, in sequence order.</param>
    /// <param name="preallocatedBytes">Size new segments are zero-filled to, and the step a full one grows by.</param>
    public static CommitLog Open(IFileSystem fs, DataFolderLayout layout, int slot, out IReadOnlyList<LoggedRecord> records, long preallocatedBytes = DefaultPreallocatedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(preallocatedBytes, 1);
        string dir = layout.LogDirectory(slot);
        fs.CreateDirectory(dir);
        var all = new List<LoggedRecord>();
        ulong expected = 1;
        IRandomAccessFile? last = null;
        ulong lastFirst = 0;
        long lastEnd = 0;
        bool dropped = false;
        foreach (var (name, first) in ListSegments(fs, dir))
        {
            if (last is null) expected = first;
            if (dropped || first != expected)
            {
                // A segment that does not continue the records before it was never acknowledged (a segment is only
                // started after the records before it are durable), and nothing after it can be trusted either.
                fs.DeleteFile(Path.Combine(dir, name));
                dropped = true;
                continue;
            }
            last?.Dispose();
            last = fs.Open(Path.Combine(dir, name), FileOpenMode.Open);
            lastFirst = first;
            lastEnd = LogSegmentFile.ReadRecords(last, ref expected, all);
        }
        // The deletes must be durable before new records follow: a dropped segment that came back after a power loss
        // could otherwise start exactly where the new records end.
        if (dropped) fs.SyncDirectory(dir);
        if (last is null)
        {
            last = LogSegmentFile.Create(fs, layout.LogSegmentPath(slot, expected), preallocatedBytes);
            lastFirst = expected;
        }
        else
        {
            ClearTailOrDispose(last, lastEnd);
        }
        records = all;
        return new CommitLog(fs, layout, slot, preallocatedBytes, last, lastFirst, lastEnd, expected);
    }

    private static List<(string Name, ulong First)> ListSegments(IFileSystem fs, string dir) =>
        fs.ListFiles(dir).Select(n => (Name: n, First: DataFolderLayout.LogSegmentFirstSeq(n)))
            .Where(s => s.First is not null).Select(s => (s.Name, s.First!.Value)).OrderBy(s => s.Item2).ToList();

    private static void ClearTailOrDispose(IRandomAccessFile segment, long end)
    {
        try
        {
            LogSegmentFile.ClearTail(segment, end);
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    /// <summary>Appends records in order and makes them durable with one fdatasync (one fsync when the segment had to grow). Returns the sequence number of the first one.</summary>
    /// <exception cref="LogAppendException">The write or the flush failed; the segment is cut back to its previous end.</exception>
    public ulong AppendBatch(IReadOnlyList<byte[]> payloads)
    {
        int total = 0;
        foreach (var p in payloads) total += LogFrame.FramedLength(p.Length);
        var buffer = new byte[total];
        ulong first = NextSeq;
        int at = 0;
        for (int i = 0; i < payloads.Count; i++)
        {
            LogFrame.Write(buffer.AsSpan(at), first + (ulong)i, payloads[i]);
            at += LogFrame.FramedLength(payloads[i].Length);
        }
        long end = _writeOffset + total;
        // A batch that does not fit grows the segment rather than rolling to a new one: the engine checkpoints by
        // SegmentBytes and deletes whole segments up to a checkpoint, so one segment per checkpoint interval keeps
        // both as they are. The growth is zero-filled like a new segment and made durable by this batch's fsync.
        long grownLength = end > _durableLength ? LogSegmentFile.RoundUp(Math.Max(end, _durableLength + _preallocatedBytes)) : 0;
        try
        {
            _segment.Write(_writeOffset, buffer);
            if (grownLength > 0) LogSegmentFile.ZeroFill(_segment, Math.Max(end, _durableLength), grownLength);
        }
        catch (IOException e)
        {
            // Nothing of the batch is acknowledged; if the cut-back of what was written is durable, the log stays usable.
            throw new LogAppendException(durabilityUnknown: !TryCutBack(), e);
        }
        try
        {
            if (grownLength > 0) _segment.Flush();
            else _segment.FlushData();
        }
        catch (IOException e)
        {
            // After a failed fsync the kernel may have dropped the dirty pages: what is on disk is unknown.
            TryCutBack();
            throw new LogAppendException(durabilityUnknown: true, e);
        }
        if (grownLength > 0) _durableLength = grownLength;
        _writeOffset = end;
        NextSeq = first + (ulong)payloads.Count;
        return first;
    }

    /// <summary>
    /// Cuts the segment back to the end of its records: whatever a failed batch left after it must not pass for
    /// records once a later, shorter batch ends there. Truncating needs no write (which may be what failed); the
    /// next batch grows the segment again.
    /// </summary>
    private bool TryCutBack()
    {
        try
        {
            _segment.SetLength(_writeOffset);
            _durableLength = Math.Min(_durableLength, _writeOffset);
            _segment.Flush();
            return true;
        }
        catch (IOException)
        {
            return false; // what is on disk is unknown: the caller must stop and let recovery decide
        }
    }

    /// <summary>Starts a new (preallocated) segment for the records from <see cref="NextSeq"/> on; its length and folder entry are made durable.</summary>
    public void RollSegment()
    {
        if (_writeOffset == 0) return;
        var next = LogSegmentFile.Create(_fs, _layout.LogSegmentPath(_slot, NextSeq), _preallocatedBytes);
        _segment.Dispose();
        _segment = next;
        _segmentFirstSeq = NextSeq;
        _writeOffset = 0;
        _durableLength = next.Length;
    }

    /// <summary>Deletes the segments that end before the current one (their records are all checkpointed).</summary>
    public void DeleteSegmentsBefore(ulong checkpointedThroughSeq)
    {
        string dir = _layout.LogDirectory(_slot);
        var segments = ListSegments(_fs, dir);
        for (int i = 0; i < segments.Count - 1; i++)
        {
            ulong nextFirst = segments[i + 1].First;
            if (segments[i].First != _segmentFirstSeq && nextFirst - 1 <= checkpointedThroughSeq)
                _fs.DeleteFile(Path.Combine(dir, segments[i].Name));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _segment.Dispose();
}
