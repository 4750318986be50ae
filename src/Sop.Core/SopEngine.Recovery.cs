using Microsoft.Extensions.Logging;
using Sop.Log;
using Sop.Recovery;
using Sop.Transactions;

namespace Sop;

public sealed partial class SopEngine
{
    /// <summary>
    /// Recovery at open. Steps: 1 redo this slot's log · 2 for every other writer slot whose lock can be taken (its
    /// engine is gone), redo its log and truncate it · 3 delete the blobs the redone commits replaced · 4 checkpoint
    /// (syncfs, truncate this slot's log).
    /// </summary>
    private void Recover(IReadOnlyList<LoggedRecord> ownRecords)
    {
        var replayer = new LogReplayer(_fs, Layout, Blobs, OpenForRecovery, DropStoreFiles);
        foreach (var r in LimitToPublished(ownRecords, WriterSlot)) replayer.Replay(r, WriterSlot);
        for (int slot = 0; slot < MaxWriterSlots; slot++) TryRecoverOrphanSlot(slot, replayer);
        replayer.DeleteObsolete();
        Checkpoint();
        // From here on this slot's publishing sequence is valid for this boot: whatever it logs but never publishes
        // (if it dies) is cut off by whoever takes the slot over.
        _publishCounters.Write(PublishingSeqCounter(WriterSlot), (long)(_log.NextSeq - 1));
        _publishCounters.Write(PublishingEpochCounter(WriterSlot), EpochStamp);
        if (replayer.Replayed > 0) _logger.LogInformation("recovery redid {Count} commit records in {Folder}", replayer.Replayed, Layout.Root);
    }

    /// <summary>
    /// Takes over a writer slot whose engine is gone (its lock can be taken): redoes its log, truncates it and closes
    /// a publish it left open. A live engine's slot is never touched.
    /// </summary>
    private bool TryRecoverOrphanSlot(int slot, LogReplayer replayer)
    {
        if (slot == WriterSlot || !_fs.DirectoryExists(Layout.LogDirectory(slot))) return false;
        using var held = _fs.TryLockExclusive(Path.Combine(Layout.LogsDirectory, $"w{slot:D3}.lock"));
        if (held is null) return false; // a live engine owns it
        // The redo is a publish of this engine, so readers see none of it or all of it.
        _publishCounters.Increment(StartedCounter(WriterSlot));
        try
        {
            using var orphanLog = CommitLog.Open(_fs, Layout, slot, out var records);
            foreach (var r in LimitToPublished(records, slot)) replayer.Replay(r, slot);
            _fs.SyncAll(Layout.Root);
            orphanLog.RollSegment();
            orphanLog.DeleteSegmentsBefore(orphanLog.NextSeq - 1);
            _fs.SyncDirectory(Layout.LogDirectory(slot)); // records dropped here must not come back after a power loss
            ClosePublishesOf(slot);
        }
        finally
        {
            _publishCounters.Increment(FinishedCounter(WriterSlot));
        }
        return true;
    }

    /// <summary>The on-demand sweep: recovers every slot whose engine died (called when a publish stays open too long).</summary>
    private void RecoverDeadSlots()
    {
        lock (_deadSlotGate)
        {
            var replayer = new LogReplayer(_fs, Layout, Blobs, OpenForRecovery, DropStoreFiles);
            int recovered = 0;
            for (int slot = 0; slot < MaxWriterSlots; slot++)
                if (TryRecoverOrphanSlot(slot, replayer)) recovered++;
            replayer.DeleteObsolete();
            if (recovered > 0) _logger.LogWarning("took over {Count} writer slots of engines that died", recovered);
        }
    }

    private readonly object _deadSlotGate = new();

    /// <summary>
    /// A dead engine's records past the one it was publishing were never published, never acknowledged, and may have
    /// been overtaken by commits of engines that lived on (its node locks died with it): they are dropped, not redone
    /// late. The one being published is completed (nobody validates against an open publish). The slot's publishing
    /// sequence is trusted only when it was written in the current shared-memory epoch (this boot); otherwise the
    /// whole host went down and every durable record of the slot is redone.
    /// </summary>
    private IEnumerable<LoggedRecord> LimitToPublished(IReadOnlyList<LoggedRecord> records, int slot)
    {
        if (_publishCounters.Read(PublishingEpochCounter(slot)) != EpochStamp) return records;
        long published = _publishCounters.Read(PublishingSeqCounter(slot));
        return records.Where(r => (long)r.Seq <= published);
    }

    private StoreRuntime? OpenForRecovery(string name)
    {
        try
        {
            return GetRuntime(name);
        }
        catch (Errors.StoreNotFoundException)
        {
            return null;
        }
    }
}
