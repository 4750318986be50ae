using Microsoft.Extensions.Logging;
using Sop.Coordination;
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
        RecoverSlots(replayer, ownRecords);
        QueueObsolete(replayer);
        Checkpoint();
        // From here on this slot's publishing sequence is valid for this boot: whatever it logs but never publishes
        // (if it dies) is cut off by whoever takes the slot over.
        _publishCounters.Write(PublishingSeqCounter(WriterSlot), (long)(_log.NextSeq - 1));
        _publishCounters.Write(PublishingEpochCounter(WriterSlot), EpochStamp);
        if (replayer.Replayed > 0) _logger.LogInformation("recovery redid {Count} commit records in {Folder}", replayer.Replayed, Layout.Root);
    }

    /// <summary>
    /// Takes over every writer slot whose engine is gone (its lock can be taken; a live engine's slot is never
    /// touched), redoes their logs together with this slot's <paramref name="ownRecords"/> (at open), truncates their
    /// logs durably and closes publishes they left open. Returns how many slots were taken over.
    /// </summary>
    private int RecoverSlots(LogReplayer replayer, IReadOnlyList<LoggedRecord> ownRecords)
    {
        var taken = new List<(int Slot, IDisposable Lock, CommitLog Log)>();
        // The redo is a publish of this engine, so readers see none of it or all of it.
        _publishCounters.Increment(StartedCounter(WriterSlot));
        Interlocked.Increment(ref _recovering);
        try
        {
            var marks = new Lazy<SharedMarks?>(SharedMarks); // several hosts: one lock-server call, and only when there is a log to cut
            List<LoggedRecord> Limit(IReadOnlyList<LoggedRecord> records, int slot) =>
                records.Count == 0 ? [] : LimitToPublished(records, slot, marks.Value).ToList();
            var logs = new List<(int Slot, IReadOnlyList<LoggedRecord> Records)> { (WriterSlot, Limit(ownRecords, WriterSlot)) };
            for (int slot = 0; slot < MaxWriterSlots; slot++)
            {
                if (slot == WriterSlot || !_fs.DirectoryExists(Layout.LogDirectory(slot))) continue;
                var held = _fs.TryLockExclusive(Path.Combine(Layout.LogsDirectory, $"w{slot:D3}.lock"));
                if (held is null) continue; // a live engine owns it
                var log = CommitLog.Open(_fs, Layout, slot, out var records, LogPreallocation(Options));
                taken.Add((slot, held, log));
                logs.Add((slot, Limit(records, slot)));
            }
            replayer.ReplayInOrder(logs);
            if (taken.Count > 0) _fs.SyncAll(Layout.Root);
            if (replayer.Replayed > 0) ReadFilesAfresh(); // several hosts: lookups read copies, which lack the redo
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
            Interlocked.Decrement(ref _recovering);
            _publishCounters.Increment(FinishedCounter(WriterSlot));
        }
    }

    /// <summary>The on-demand sweep: recovers every slot whose engine died (called when a publish stays open too long).</summary>
    private void RecoverDeadSlots()
    {
        lock (_deadSlotGate)
        {
            var replayer = new LogReplayer(_fs, Layout, Blobs, OpenForRecovery, DropStoreFiles);
            int recovered = RecoverSlots(replayer, ownRecords: []);
            QueueObsolete(replayer);
            if (recovered > 0) _logger.LogWarning("took over {Count} writer slots of engines that died", recovered);
        }
    }

    private readonly object _deadSlotGate = new();

    /// <summary>
    /// Blobs that redone records replaced go the way of any commit's: deleted by a checkpoint once no running
    /// transaction (of any engine: others may be running while this one recovers a dead engine) can read them.
    /// The redo was made durable before, so they wait only for the reader watermark.
    /// </summary>
    private void QueueObsolete(LogReplayer replayer)
    {
        // Several hosts: the redone commits may be further on in the folder-wide sequence than this engine has caught
        // up, and a catch-up here could wait for a token being re-created: stamp them at the next catch-up.
        long now = View is null ? ReaderClock : NotYetStamped;
        foreach (var (store, blob) in replayer.TakeObsolete())
        {
            _obsolete.Enqueue(new ObsoleteBlob(store, blob, 0, now));
            if (now == NotYetStamped) Interlocked.Increment(ref _unstamped);
        }
    }

    private int _unstamped;

    private const long NotYetStamped = long.MaxValue;

    /// <summary>After a catch-up: blobs that recovery replaced wait for readers older than now.</summary>
    private void StampRecoveredObsolete()
    {
        if (Interlocked.Exchange(ref _unstamped, 0) == 0) return;
        long now = ReaderClock;
        for (int i = _obsolete.Count; i > 0 && _obsolete.TryDequeue(out var o); i--)
            _obsolete.Enqueue(o.PublishedAt == NotYetStamped ? o with { PublishedAt = now } : o);
    }

    /// <summary>
    /// A dead engine's records past the one it was publishing were never published, never acknowledged, and may have
    /// been overtaken by commits of engines that lived on (its node locks died with it): they are dropped, not redone
    /// late. The one being published is completed (nobody validates against an open publish). The slot's publishing
    /// sequence is trusted only when it was written in the current shared-memory epoch (this boot); otherwise the
    /// whole host went down and every durable record of the slot is redone. Several hosts: a commit goes to the lock
    /// server before any file, so a record written under the lock server's current generation is redone only up to
    /// the slot's mark there (<paramref name="shared"/>), and never when the lock server refused it; a record of an
    /// earlier generation (the lock server lost its state since) is redone.
    /// </summary>
    private IEnumerable<LoggedRecord> LimitToPublished(IReadOnlyList<LoggedRecord> records, int slot, SharedMarks? shared)
    {
        if (shared is { Generation: var generation, Marks: var marks, Refused: var refused })
        {
            ulong mark = marks.GetValueOrDefault(slot);
            return records.Where(r => generation is null || CommitRecord.PeekGeneration(r.Payload) != generation
                || (r.Seq <= mark && !refused.Contains((slot, r.Seq))));
        }
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
