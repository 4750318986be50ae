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
        foreach (var r in ownRecords) replayer.Replay(r, WriterSlot);
        for (int slot = 0; slot < MaxWriterSlots; slot++)
        {
            if (slot == WriterSlot || !_fs.DirectoryExists(Layout.LogDirectory(slot))) continue;
            using var held = _fs.TryLockExclusive(Path.Combine(Layout.LogsDirectory, $"w{slot:D3}.lock"));
            if (held is null) continue; // a live engine owns it
            using var orphanLog = CommitLog.Open(_fs, Layout, slot, out var records);
            foreach (var r in records) replayer.Replay(r, slot);
            _fs.SyncAll(Layout.Root);
            orphanLog.RollSegment();
            orphanLog.DeleteSegmentsBefore(orphanLog.NextSeq - 1);
        }
        replayer.DeleteObsolete();
        Checkpoint();
        if (replayer.Replayed > 0) _logger.LogInformation("recovery redid {Count} commit records in {Folder}", replayer.Replayed, Layout.Root);
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
