using Sop.Storage;

namespace Sop.Log;

/// <summary>
/// The append-only commit log of one writer slot: segment files <c>log/w&lt;slot&gt;/&lt;firstSeq&gt;.log</c> holding
/// framed records (<see cref="LogFrame"/>) with consecutive sequence numbers.
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> <see cref="AppendBatch"/> writes a batch of records with one positioned write and makes it
/// durable with one fsync of the segment: that fsync is the commit point of every record in the batch (group
/// commit). A crash before it returns may keep any prefix of the batch; a record is either wholly valid or
/// rejected by its CRC, length and sequence number.</para>
/// <para><b>Truncation.</b> <see cref="RollSegment"/> starts a new segment; <see cref="DeleteSegmentsBefore"/> removes
/// segments whose every record is covered by a checkpoint. Not thread-safe: the commit pipeline serializes calls.</para>
/// </remarks>
public sealed class CommitLog : IDisposable
{
    private readonly IFileSystem _fs;
    private readonly DataFolderLayout _layout;
    private readonly int _slot;
    private IRandomAccessFile _segment;
    private ulong _segmentFirstSeq;
    private long _writeOffset;

    private CommitLog(IFileSystem fs, DataFolderLayout layout, int slot, IRandomAccessFile segment, ulong firstSeq, long offset, ulong nextSeq)
    {
        _fs = fs;
        _layout = layout;
        _slot = slot;
        _segment = segment;
        _segmentFirstSeq = firstSeq;
        _writeOffset = offset;
        NextSeq = nextSeq;
    }

    /// <summary>The sequence number the next appended record gets.</summary>
    public ulong NextSeq { get; private set; }

    /// <summary>Bytes in the current segment.</summary>
    public long SegmentBytes => _writeOffset;

    /// <summary>
    /// Opens a writer slot's log: reads every valid record (for recovery), cuts off a torn tail, and positions for
    /// appending after the last valid record.
    /// </summary>
    public static CommitLog Open(IFileSystem fs, DataFolderLayout layout, int slot, out IReadOnlyList<LoggedRecord> records)
    {
        string dir = layout.LogDirectory(slot);
        fs.CreateDirectory(dir);
        var segments = fs.ListFiles(dir).Select(n => (Name: n, First: DataFolderLayout.LogSegmentFirstSeq(n)))
            .Where(s => s.First is not null).OrderBy(s => s.First).ToList();
        var all = new List<LoggedRecord>();
        ulong expected = segments.Count > 0 ? segments[0].First!.Value : 1;
        IRandomAccessFile? last = null;
        ulong lastFirst = expected;
        long lastEnd = 0;
        bool broken = false;
        foreach (var (name, first) in segments)
        {
            string path = Path.Combine(dir, name);
            if (broken || first!.Value != expected)
            {
                // After a torn record nothing later can be trusted (and was never acknowledged).
                fs.DeleteFile(path);
                broken = true;
                continue;
            }
            last?.Dispose();
            last = fs.Open(path, FileOpenMode.Open);
            lastFirst = first.Value;
            lastEnd = ReadSegment(last, ref expected, all, out bool complete);
            if (!complete)
            {
                last.SetLength(lastEnd);
                broken = true;
            }
        }
        if (last is null)
        {
            last = fs.Open(layout.LogSegmentPath(slot, expected), FileOpenMode.Create);
            lastFirst = expected;
            lastEnd = 0;
            fs.SyncDirectory(dir);
        }
        records = all;
        return new CommitLog(fs, layout, slot, last, lastFirst, lastEnd, expected);
    }

    private static long ReadSegment(IRandomAccessFile file, ref ulong expected, List<LoggedRecord> into, out bool complete)
    {
        long length = file.Length;
        long offset = 0;
        var header = new byte[LogFrame.HeaderSize];
        while (true)
        {
            if (offset == length)
            {
                complete = true;
                return offset;
            }
            if (file.Read(offset, header) < LogFrame.HeaderSize) break;
            int payloadLength = LogFrame.TryReadHeader(header, out ulong seq);
            if (payloadLength < 0 || seq != expected || offset + LogFrame.HeaderSize + payloadLength > length) break;
            var payload = new byte[payloadLength];
            if (file.Read(offset + LogFrame.HeaderSize, payload) < payloadLength || !LogFrame.ChecksumMatches(header, payload)) break;
            into.Add(new LoggedRecord(seq, payload));
            offset += LogFrame.HeaderSize + payloadLength;
            expected++;
        }
        complete = false;
        return offset;
    }

    /// <summary>Appends records in order and fsyncs once. Returns the sequence number of the first one.</summary>
    /// <exception cref="LogAppendException">The write or the fsync failed; the segment is cut back to its previous end.</exception>
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
        try
        {
            _segment.Write(_writeOffset, buffer);
        }
        catch (IOException e)
        {
            // Nothing of the batch is acknowledged; if the cut-back of what was written is durable, the log stays usable.
            throw new LogAppendException(durabilityUnknown: !TryCutBack(), e);
        }
        try
        {
            _segment.Flush();
        }
        catch (IOException e)
        {
            // After a failed fsync the kernel may have dropped the dirty pages: what is on disk is unknown.
            TryCutBack();
            throw new LogAppendException(durabilityUnknown: true, e);
        }
        _writeOffset += total;
        NextSeq = first + (ulong)payloads.Count;
        return first;
    }

    private bool TryCutBack()
    {
        try
        {
            _segment.SetLength(_writeOffset);
            _segment.Flush();
            return true;
        }
        catch (IOException)
        {
            return false; // what is on disk is unknown: the caller must stop and let recovery decide
        }
    }

    /// <summary>Starts a new segment for the records from <see cref="NextSeq"/> on; the new file's entry is made durable.</summary>
    public void RollSegment()
    {
        if (_writeOffset == 0) return;
        var next = _fs.Open(_layout.LogSegmentPath(_slot, NextSeq), FileOpenMode.Create);
        _fs.SyncDirectory(_layout.LogDirectory(_slot));
        _segment.Dispose();
        _segment = next;
        _segmentFirstSeq = NextSeq;
        _writeOffset = 0;
    }

    /// <summary>Deletes the segments that end before the current one (their records are all checkpointed).</summary>
    public void DeleteSegmentsBefore(ulong checkpointedThroughSeq)
    {
        string dir = _layout.LogDirectory(_slot);
        var segments = _fs.ListFiles(dir).Select(n => (Name: n, First: DataFolderLayout.LogSegmentFirstSeq(n)))
            .Where(s => s.First is not null).OrderBy(s => s.First).ToList();
        for (int i = 0; i < segments.Count - 1; i++)
        {
            ulong nextFirst = segments[i + 1].First!.Value;
            if (segments[i].First != _segmentFirstSeq && nextFirst - 1 <= checkpointedThroughSeq)
                _fs.DeleteFile(Path.Combine(dir, segments[i].Name));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _segment.Dispose();
}
