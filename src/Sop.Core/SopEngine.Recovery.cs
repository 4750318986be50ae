using Microsoft.Extensions.Logging;
using Sop.Log;
using Sop.Recovery;
using Sop.Transactions;

namespace Sop;

public sealed partial class SopEngine
{
    /// <summary>
    /// Recovery at open. Steps: 1 take every other writer slot whose lock can be taken (its engine is gone) · 2 redo
    /// this slot's log and theirs together, in commit order across slots · 3 truncate their logs durably and close
    /// publishes they left open · 4 delete the blobs the redone commits replaced · 5 checkpoint (syncfs, truncate this
    /// slot's log).
    /// </summary>
    private void Recover(IReadOnlyList<LoggedRecord> ownRecords)
    {
        var replayer = new LogReplayer(_fs, Layout, Blobs, OpenForRecovery, DropStoreFiles);
        RecoverSlots(replayer, [(WriterSlot, LimitToPublished(ownRecords, WriterSlot, SharedMarks()).ToList())]);
        replayer.DeleteObsolete();
        Checkpoint();
        // From here on this slot's publishing sequence is valid for this boot: whatever it logs but never publishes
        // (if it dies) is cut off by whoever takes the slot over.
        _publishCounters.Write(PublishingSeqCounter(WriterSlot), (long)(_log.NextSeq - 1));
        _publishCounters.Write(PublishingEpochCounter(WriterSlot), EpochStamp);
        if (replayer.Replayed > 0) _logger.LogInformation("recovery redid {Count} commit records in {Folder}", replayer.Replayed, Layout.Root);
    }

    /// <summary>
    /// Takes over every writer slot whose engine is gone (its lock can be taken; a live engine's slot is never
    /// touched), redoes their logs together with <paramref name="alsoRedo"/>, truncates their logs durably and closes
    /// publishes they left open. Returns how many slots were taken over.
    /// </summary>
    private int RecoverSlots(LogReplayer replayer, List<(int Slot, IReadOnlyList<LoggedRecord> Records)> alsoRedo)
    {
        var taken = new List<(int Slot, IDisposable Lock, CommitLog Log)>();
        // The redo is a publish of this engine, so readers see none of it or all of it.
        _publishCounters.Increment(StartedCounter(WriterSlot));
        try
        {
            IReadOnlyDictionary<int, ulong>? marks = null;
            var logs = new List<(int Slot, IReadOnlyList<LoggedRecord> Records)>(alsoRedo);
            for (int slot = 0; slot < MaxWriterSlots; slot++)
            {
                if (slot == WriterSlot || !_fs.DirectoryExists(Layout.LogDirectory(slot))) continue;
                var held = _fs.TryLockExclusive(Path.Combine(Layout.LogsDirectory, $"w{slot:D3}.lock"));
                if (held is null) continue; // a live engine owns it
                var log = CommitLog.Open(_fs, Layout, slot, out var records, LogPreallocation(Options));
                taken.Add((slot, held, log));
                marks ??= SharedMarks();
                logs.Add((slot, LimitToPublished(records, slot, marks).ToList()));
            }
            replayer.ReplayInOrder(logs);
            if (taken.Count > 0) _fs.SyncAll(Layout.Root);
            foreach (var (slot, _, log) in taken)
            {
                log.RollSegment();
                log.DeleteSegmentsBefore(log.NextSeq - 1);
                _fs.SyncDirectory(Layout.LogDirectory(slot)); // records dropped here must not come back after a power loss
                ClosePublishesOf(slot);
            }
            return taken.Count;
        }
        finally
        {
            foreach (var (_, held, log) in taken)
            {
                log.Dispose();
                held.Dispose();
            }
            _publishCounters.Increment(FinishedCounter(WriterSlot));
        }
    }

    /// <summary>The on-demand sweep: recovers every slot whose engine died (called when a publish stays open too long).</summary>
    private void RecoverDeadSlots()
    {
        lock (_deadSlotGate)
        {
            var replayer = new LogReplayer(_fs, Layout, Blobs, OpenForRecovery, DropStoreFiles);
            int recovered = RecoverSlots(replayer, []);
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
    /// whole host went down and every durable record of the slot is redone. Several hosts: the lock server's mark of
    /// the slot (<paramref name="sharedMarks"/>) says what was published, since a commit goes there before any file;
    /// without a mark (the lock server lost its state) every durable record is redone.
    /// </summary>
    private IEnumerable<LoggedRecord> LimitToPublished(IReadOnlyList<LoggedRecord> records, int slot, IReadOnlyDictionary<int, ulong>? sharedMarks)
    {
        if (sharedMarks is not null) return sharedMarks.TryGetValue(slot, out ulong mark) ? records.Where(r => r.Seq <= mark) : records;
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
