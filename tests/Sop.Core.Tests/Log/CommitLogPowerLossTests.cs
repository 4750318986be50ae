using Sop.Log;
using Sop.Storage;

namespace Sop.Tests.Log;

/// <summary>
/// What a preallocated <see cref="CommitLog"/> keeps through power loss and kill -9, on the
/// <see cref="InMemoryFileSystem"/> model: acknowledged batches survive, an interrupted one leaves at most a prefix,
/// and bytes after the last valid record are never read as records, even when a later batch ends exactly where they
/// start. Each test uses a fresh file system whose log folder is already durable.
/// </summary>
public sealed class CommitLogPowerLossTests
{
    private const int Slot = 0;
    private const long Preallocated = 64 << 10; // small so the tests stay light; growth has its own test
    private const int PayloadBytes = 40;
    private readonly InMemoryFileSystem _disk = new();
    private readonly DataFolderLayout _layout = new("/sop-tests-" + Guid.NewGuid().ToString("N"));

    public CommitLogPowerLossTests()
    {
        _disk.CreateDirectory(_layout.LogDirectory(Slot));
        _disk.SyncAll(_layout.Root);
    }

    public enum Crash
    {
        /// <summary>Power cut: everything not yet flushed is lost.</summary>
        PowerLoss,

        /// <summary>kill -9: the page cache survives, including a torn half of the write in progress.</summary>
        Kill,
    }

    private string SegmentPath(ulong firstSeq) => _layout.LogSegmentPath(Slot, firstSeq);

    private CommitLog Open(IFileSystem fs, out IReadOnlyList<LoggedRecord> records, long preallocated = Preallocated) =>
        CommitLog.Open(fs, _layout, Slot, out records, preallocated);

    /// <summary>A payload that tells records apart by sequence number and generation (never all zero).</summary>
    private static byte[] Payload(ulong seq, int generation = 0, int length = PayloadBytes) =>
        Enumerable.Range(0, length).Select(i => (byte)(1 + ((int)seq * 7 + generation * 13 + i) % 250)).ToArray();

    private static void AppendEach(CommitLog log, IEnumerable<byte[]> payloads)
    {
        foreach (var p in payloads) log.AppendBatch([p]);
    }

    private static void AssertRecords(IReadOnlyList<LoggedRecord> actual, params (ulong Seq, byte[] Payload)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Seq), actual.Select(r => r.Seq));
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i].Payload, actual[i].Payload);
    }

    private static (ulong, byte[])[] Generation(ulong from, ulong to, int generation = 0)
    {
        var list = new List<(ulong, byte[])>();
        for (ulong s = from; s <= to; s++) list.Add((s, Payload(s, generation)));
        return [.. list];
    }

    private void SimulateCrash(Crash crash) => _disk.SimulatePowerLoss(keepPageCache: crash == Crash.Kill);

    /// <summary>Cuts the power, reopens the log and checks that it holds exactly <paramref name="expected"/> and appends after them.</summary>
    private void AssertAfterPowerLoss((ulong Seq, byte[] Payload)[] expected, long preallocated = Preallocated)
    {
        _disk.SimulatePowerLoss();
        using var reopened = Open(_disk, out var records, preallocated);
        AssertRecords(records, expected);
        Assert.Equal((ulong)expected.Length + 1, reopened.NextSeq);
    }

    [Fact]
    public void NewSegment_IsZeroFilledAndDurableBeforeAnyRecord()
    {
        using (Open(_disk, out var none)) Assert.Empty(none);
        _disk.SimulatePowerLoss();
        var bytes = _disk.TryReadAllBytes(SegmentPath(1));
        Assert.NotNull(bytes);
        Assert.Equal(Preallocated, bytes.Length);
        Assert.True(bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0, "a new segment must be all zeros");
        using var log = Open(_disk, out var records);
        Assert.Empty(records);
        Assert.Equal(1UL, log.NextSeq);
    }

    [Fact]
    public void EachBatch_IsOneFdatasyncInsideThePreallocatedLength()
    {
        using (var log = Open(_disk, out _))
        {
            long syncs = _disk.SyncCount, dataSyncs = _disk.DataSyncCount;
            log.AppendBatch([Payload(1), Payload(2)]);
            log.AppendBatch([Payload(3)]);
            Assert.Equal(2, _disk.SyncCount - syncs);
            Assert.Equal(2, _disk.DataSyncCount - dataSyncs);
            Assert.Equal(3 * (LogFrame.HeaderSize + PayloadBytes), log.SegmentBytes); // records, not the preallocation
        }
        Assert.Equal(Preallocated, _disk.TryReadAllBytes(SegmentPath(1))!.Length);
        AssertAfterPowerLoss(Generation(1, 3));
    }

    [Fact]
    public void BatchThatDoesNotFit_GrowsTheSegmentWithOneFsync()
    {
        const long small = 4096;
        byte[] big = Payload(2, length: 3000);
        using (var log = Open(_disk, out _, small))
        {
            log.AppendBatch([Payload(1, length: 3000)]); // fits
            long syncs = _disk.SyncCount, dataSyncs = _disk.DataSyncCount;
            log.AppendBatch([big]); // does not: the growth needs a full fsync, and that one covers the batch too
            Assert.Equal(1, _disk.SyncCount - syncs);
            Assert.Equal(0, _disk.DataSyncCount - dataSyncs);
            log.AppendBatch([Payload(3)]); // inside the grown length again
            Assert.Equal(1, _disk.DataSyncCount - dataSyncs);
        }
        Assert.True(_disk.TryReadAllBytes(SegmentPath(1))!.Length >= small + small);
        AssertAfterPowerLoss([(1, Payload(1, length: 3000)), (2, big), (3, Payload(3))], small);
    }

    [Theory]
    [InlineData(Crash.PowerLoss, 1)] // crash at the write, half of it written
    [InlineData(Crash.PowerLoss, 2)] // crash at the fdatasync
    [InlineData(Crash.Kill, 1)]
    [InlineData(Crash.Kill, 2)]
    public void CrashInTheMiddleOfABatch_KeepsAPrefixAndTheNextAppendsFollowIt(Crash crash, int crashAtStep)
    {
        var faulty = new FaultInjectingFileSystem(_disk) { TornWriteFraction = 0.5 };
        using (var log = Open(faulty, out _))
        {
            AppendEach(log, Generation(1, 4).Select(r => r.Item2));
            faulty.CrashAtOperation = faulty.Operations + crashAtStep;
            Assert.ThrowsAny<IOException>(() => log.AppendBatch([Payload(5), Payload(6), Payload(7), Payload(8)]));
        }
        SimulateCrash(crash);

        var kept = new List<LoggedRecord>();
        using (var log = Open(_disk, out var records))
        {
            // Acknowledged: 1-4. The interrupted batch may leave a prefix (only kill -9 keeps unflushed bytes).
            AssertIsPrefix(Generation(1, 8), records);
            Assert.True(records.Count >= 4, $"acknowledged records lost: {records.Count} left");
            if (crash == Crash.PowerLoss) Assert.Equal(4, records.Count);
            kept.AddRange(records);
            log.AppendBatch([Payload(log.NextSeq, generation: 1)]);
        }
        ulong next = (ulong)kept.Count + 1;
        AssertAfterPowerLoss([.. kept.Select(r => (r.Seq, r.Payload)), (next, Payload(next, generation: 1))]);
    }

    private static void AssertIsPrefix((ulong Seq, byte[] Payload)[] expected, IReadOnlyList<LoggedRecord> actual)
    {
        Assert.True(actual.Count <= expected.Length, $"{actual.Count} records, at most {expected.Length} were written");
        AssertRecords(actual, expected[..actual.Count]);
    }

    /// <summary>
    /// Records 1-10 durable, then record 6 lost while 7-10 stay on disk (a power loss that kept later pages of a
    /// batch but not the page holding its first record). A new record 6 of the same size ends exactly where the stale
    /// 7 starts: without the tail being cleared at reopen, 7-10 would pass their sequence and CRC checks.
    /// </summary>
    [Fact]
    public void StaleRecordsAfterATornTail_AreNeverReplayed()
    {
        using (var log = Open(_disk, out _)) AppendEach(log, Generation(1, 10).Select(r => r.Item2));
        long recordBytes = LogFrame.HeaderSize + PayloadBytes;
        using (var segment = _disk.Open(SegmentPath(1), FileOpenMode.Open))
        {
            segment.Write(5 * recordBytes, new byte[recordBytes]); // record 6 gone, 7-10 intact behind it
            segment.Flush();
        }
        _disk.SimulatePowerLoss();

        using (var log = Open(_disk, out var records))
        {
            AssertRecords(records, Generation(1, 5));
            var tail = _disk.TryReadAllBytes(SegmentPath(1))!.AsSpan((int)(5 * recordBytes));
            Assert.True(tail.IndexOfAnyExcept((byte)0) < 0, "bytes after the last valid record must be zeroed at reopen");
            Assert.Equal(Preallocated, _disk.TryReadAllBytes(SegmentPath(1))!.Length); // not shrunk
            log.AppendBatch([Payload(6, generation: 1)]);
        }
        _disk.SimulatePowerLoss();

        var expected = Generation(1, 5).Append((6UL, Payload(6, generation: 1))).ToArray();
        var faulty = new FaultInjectingFileSystem(_disk) { TornWriteFraction = 0.5 };
        using (var log = Open(faulty, out var records))
        {
            AssertRecords(records, expected);
            faulty.CrashAtOperation = faulty.Operations + 1;
            Assert.ThrowsAny<IOException>(() => log.AppendBatch([Payload(7, generation: 1), Payload(8, generation: 1)]));
        }
        _disk.SimulatePowerLoss();

        using (var log = Open(_disk, out var records))
        {
            AssertRecords(records, expected);
            log.AppendBatch([Payload(7, generation: 2)]);
        }
        AssertAfterPowerLoss([.. expected, (7, Payload(7, generation: 2))]);
    }

    /// <summary>Writes records back to back in a file that ends at the last one, as segments were written before preallocation.</summary>
    private void WriteUnpreallocatedSegment(ulong firstSeq, (ulong Seq, byte[] Payload)[] records, int tornTailBytes = 0)
    {
        var bytes = new List<byte>();
        foreach (var (seq, payload) in records)
        {
            var frame = new byte[LogFrame.FramedLength(payload.Length)];
            LogFrame.Write(frame, seq, payload);
            bytes.AddRange(frame);
        }
        if (tornTailBytes > 0)
        {
            var torn = new byte[LogFrame.FramedLength(PayloadBytes)];
            ulong next = records.Length > 0 ? records[^1].Seq + 1 : firstSeq;
            LogFrame.Write(torn, next, Payload(next, generation: 9));
            bytes.AddRange(torn.Take(tornTailBytes));
        }
        using (var f = _disk.Open(SegmentPath(firstSeq), FileOpenMode.Create))
        {
            f.Write(0, bytes.ToArray());
            f.Flush();
        }
        _disk.SyncDirectory(_layout.LogDirectory(Slot));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)] // a torn record at the end, as the old log could leave it
    public void SegmentsWrittenWithoutPreallocation_RecoverAndTakeNewRecords(int tornTailBytes)
    {
        WriteUnpreallocatedSegment(1, Generation(1, 3));
        WriteUnpreallocatedSegment(4, Generation(4, 5), tornTailBytes);
        long oldLength = _disk.TryReadAllBytes(SegmentPath(4))!.Length;
        using (var log = Open(_disk, out var records))
        {
            AssertRecords(records, Generation(1, 5));
            Assert.Equal(oldLength, _disk.TryReadAllBytes(SegmentPath(4))!.Length);
            log.AppendBatch([Payload(6)]); // no room: grows the old segment
            log.AppendBatch([Payload(7)]);
        }
        AssertAfterPowerLoss(Generation(1, 7));
    }

    [Fact]
    public void RolledSegments_ReadOnFromOneToTheNextPastTheZeroTail()
    {
        using (var log = Open(_disk, out _))
        {
            AppendEach(log, Generation(1, 3).Select(r => r.Item2));
            log.RollSegment();
            AppendEach(log, Generation(4, 5).Select(r => r.Item2));
        }
        _disk.SimulatePowerLoss();
        Assert.Equal(Preallocated, _disk.TryReadAllBytes(SegmentPath(4))!.Length);
        using var reopened = Open(_disk, out var records);
        AssertRecords(records, Generation(1, 5));
        Assert.Equal(2 * (LogFrame.HeaderSize + PayloadBytes), reopened.SegmentBytes);
    }

    [Fact]
    public void SegmentThatDoesNotContinueTheRecords_IsDroppedDurably()
    {
        using (var log = Open(_disk, out _)) AppendEach(log, Generation(1, 3).Select(r => r.Item2));
        WriteUnpreallocatedSegment(6, Generation(6, 7)); // 4 and 5 are missing: 6 and 7 were never acknowledged
        using (var log = Open(_disk, out var records))
        {
            AssertRecords(records, Generation(1, 3));
            log.AppendBatch([Payload(4, generation: 1)]);
            log.AppendBatch([Payload(5, generation: 1)]);
        }
        // The dropped segment must not come back after the power loss and continue the new 5.
        AssertAfterPowerLoss([.. Generation(1, 3), (4, Payload(4, generation: 1)), (5, Payload(5, generation: 1))]);
        Assert.False(_disk.FileExists(SegmentPath(6)));
    }
}
