using Microsoft.Extensions.Logging;
using Sop.Coordination;
using Sop.Errors;
using Sop.Log;
using Sop.Registry;
using Sop.Transactions;

namespace Sop;

/// <summary>
/// Multi-host mode (decisions.md 17), active when the coordinator is an <see cref="ISharedPublishes"/>: every commit
/// is published to the lock server before this host's files, and this engine reads node handles changed in the
/// current generation from its <see cref="SharedView"/>, brought up to date at each transaction start and at point B.
/// </summary>
public sealed partial class SopEngine
{
    private readonly object _viewGate = new();

    /// <summary>The lock server's record of publishes, when the folder is shared by several hosts.</summary>
    private ISharedPublishes? Shared { get; init; }

    /// <summary>This engine's copy of <see cref="Shared"/>'s state (null on one host).</summary>
    private SharedView? View { get; init; }

    /// <summary>Catches up with the commits other hosts published (one lock-server round trip; none on one host).</summary>
    private async ValueTask CatchUpAsync(CancellationToken ct)
    {
        if (Shared is null) return;
        var view = View!;
        ApplyShared(await Shared.CatchUpAsync(view.Generation, view.Seq, floor: view.Seq, ct).ConfigureAwait(false));
    }

    /// <summary><see cref="CatchUpAsync"/> for synchronous callers (the client's synchronous call; several hosts only).</summary>
    private void CatchUp() => ApplyShared(Shared!.CatchUp(View!.Generation, View.Seq, floor: View.Seq));

    /// <summary>
    /// Applies what the lock server answered, inside this engine's publish sequence so no reader sees part of it. A
    /// generation change (the lock server lost its state; every host checkpointed meanwhile) makes every open registry
    /// and count file read afresh.
    /// </summary>
    private void ApplyShared(SharedChanges changes)
    {
        var view = View!;
        lock (_viewGate)
        {
            bool sameGeneration = changes.Generation == view.Generation;
            if (sameGeneration && (changes.IsEmpty || changes.Seq <= view.Seq)) return; // nothing new, or a later answer came first
            _publishCounters.Increment(StartedCounter(WriterSlot));
            try
            {
                if (view.Apply(changes))
                {
                    _logger.LogWarning("the lock server lost its state; reading the registries of {Folder} afresh", Layout.Root);
                    ReadFilesAfresh();
                    // the new copies may hold commits made since the answer: catch up once more (nested, same lock)
                    foreach (var runtime in _stores.Values) (runtime.Registry as SharedRegistry)?.File.TakeCopied();
                    CatchUp();
                }
                foreach (var (name, runtime) in _stores)
                    if (view.IsDropped(runtime.Info.StoreId)) ForgetDroppedStore(name);
                StampRecoveredObsolete();
            }
            finally
            {
                _publishCounters.Increment(FinishedCounter(WriterSlot));
            }
        }
    }

    /// <summary>
    /// Several hosts: every open store's registry and count files are read afresh (after the lock server lost its
    /// state, or a recovery redid records into them); a store that is gone (dropped meanwhile) is forgotten, and the
    /// lock-free lookups' new copies are caught up with at the next chance.
    /// </summary>
    private void ReadFilesAfresh()
    {
        if (Shared is null) return;
        foreach (var (name, runtime) in _stores)
        {
            try
            {
                if (StoreFiles.TryReadInfo(_fs, Layout, name)?.StoreId != runtime.Info.StoreId)
                {
                    ForgetDroppedStore(name);
                    continue;
                }
                (runtime.Registry as SharedRegistry)?.File.Reopen();
                runtime.Counters.Reopen();
            }
            catch (Exception e) when (e is IOException or SopException)
            {
                _logger.LogWarning(e, "store '{Store}' could not be read afresh; it is opened again at its next use", name);
                ForgetDroppedStore(name);
            }
        }
    }

    /// <summary>
    /// After a store's registry moved to a new in-memory copy (opened, grown by another host, read afresh), catches up
    /// so that every node the copy has newer than the shared view is in the view. Skipped while this engine recovers
    /// (a catch-up could wait for the token that recovery is part of re-creating); the next one covers it.
    /// </summary>
    internal void CatchUpAfterCopy(StoreRuntime runtime)
    {
        if (Shared is null || View!.Generation is null || Volatile.Read(ref _recovering) > 0) return;
        if ((runtime.Registry as SharedRegistry)?.File.TakeCopied() == true) CatchUp();
    }

    private int _recovering;

    private void ForgetDroppedStore(string name)
    {
        if (!_stores.TryRemove(name, out var gone)) return;
        gone.Dropped = true;
        gone.Dispose();
    }

    /// <summary>The sequence this engine's transactions start at: the folder-wide shared one, or this host's publishes.</summary>
    private long ReaderClock => View?.Seq ?? GlobalPublished;

    /// <summary>What this engine's lease carries: where its oldest running transaction started, or its clock when none runs.</summary>
    private long OldestReaderShared()
    {
        lock (_active) return _active.IsEmpty ? View!.Seq : _active.Values.Min();
    }

    /// <summary>
    /// Multi-host step 5½ of the commit protocol, run by the group-commit leader in log order once the record is
    /// durable and before this host's files see it: publish the changed handles and this slot's count to the lock server
    /// and release the locks, in one round trip. When the outcome is unknown (the lock server did not answer), the
    /// engine stops like after a failed publish: the record is durable, and whoever takes the slot over redoes it only
    /// if the lock server has it (its slot mark covers it). A refused commit (its locks ran out and someone went on)
    /// throws <see cref="SharedPublishRefusedException"/>: its transaction starts a new round.
    /// </summary>
    private void ShareCommit(CommitRecord record, List<StoreTx> stores, long[] counts, ulong logSeq, IReadOnlyList<LockKey> locks, Guid owner, CommitShare outcome)
    {
        ThrowIfFaulted();
        try
        {
            AdvanceOwnCounts(record, stores, counts); // in log order, before the publish that shares them
        }
        catch (Exception e) when (e is IOException or SopException)
        {
            throw StopAfterSharing("could not be published: reading this slot's count failed (" + e.Message + ")", e);
        }
        var latest = new List<KeyValuePair<byte[], byte[]>>();
        for (int i = 0; i < record.Stores.Count; i++)
        {
            var section = record.Stores[i];
            foreach (var n in section.Nodes) latest.Add(new(SharedFields.HandleKey(section.StoreId, n.Handle.LogicalId), SharedFields.HandleValue(n.Handle)));
            latest.Add(new(SharedFields.CountKey(section.StoreId, WriterSlot), SharedFields.CountValue(counts[i], logSeq)));
        }
        try
        {
            Share(record, new SharedPublish { Generation = record.Generation!, Slot = WriterSlot, LogSeq = logSeq, Entry = SharedFields.EncodeEntry(latest, []), Latest = latest },
                locks, owner, outcome);
        }
        catch (SharedPublishRefusedException)
        {
            RevertOwnCounts(record);
            throw;
        }
    }

    /// <summary>Publishes a store's deletion to the lock server before this host removes its files.</summary>
    private void ShareDrop(CommitRecord record, Guid storeId, ulong logSeq, CommitShare outcome)
    {
        byte[][] dropped = [SharedFields.StoreKey(storeId)];
        Share(record, new SharedPublish
        {
            Generation = record.Generation!, Slot = WriterSlot, LogSeq = logSeq, Entry = SharedFields.EncodeEntry([], dropped), Latest = [], Dropped = dropped,
        }, [], Guid.Empty, outcome);
    }

    private void Share(CommitRecord record, SharedPublish publish, IReadOnlyList<LockKey> locks, Guid owner, CommitShare outcome)
    {
        // An earlier record of this batch could not be published: this one must not be either (the slot's mark stays
        // below both, so a takeover drops both).
        ThrowIfFaulted();
        if (record.Generation is null)
        {
            // no generation known (only before the engine's first catch-up, which its open does): the files only
            outcome.Released = false;
            outcome.Result = SharedPublishResult.GenerationChanged;
            return;
        }
        SharedPublishOutcome result;
        try
        {
            result = Shared!.PublishAndUnlock(publish, locks, owner);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw StopAfterSharing("could not be published to the lock server; whether it was is decided by the lock server's record, which the engine that "
                + "takes this writer slot over follows: " + e.Message, e);
        }
        outcome.Released = true;
        outcome.Result = result.Result;
        outcome.Seq = result.Result == SharedPublishResult.Published ? result.Seq : null;
        if (result.Result == SharedPublishResult.Refused) throw new SharedPublishRefusedException();
    }

    /// <summary>
    /// The lock server refused a commit whose locks ran out before its publish (another committer took over): it never
    /// happened, the lock server remembers it as refused, and the transaction goes on to its next round (a merge).
    /// </summary>
    private sealed class SharedPublishRefusedException() : SopException("the commit's locks ran out before it was published");

    /// <summary>Takes back what <see cref="AdvanceOwnCounts"/> added for a commit that was refused.</summary>
    private void RevertOwnCounts(CommitRecord record)
    {
        foreach (var section in record.Stores)
            if (_ownCounts.TryGetValue(section.Name, out long own)) _ownCounts[section.Name] = own - section.CountDelta;
    }

    /// <summary>A durable record that is not (or not surely) published: this engine stops and gives its writer slot up.</summary>
    private StorageException StopAfterSharing(string what, Exception inner)
    {
        _faulted = true;
        _slotLock.Dispose();
        return new StorageException("the transaction's commit record is durable but " + what + "; this engine stopped and must be reopened", inner);
    }

    /// <summary>What became of a commit's multi-host publish.</summary>
    private sealed class CommitShare
    {
        /// <summary>The lock server released the locks (they need no unlock call).</summary>
        public bool Released;

        /// <summary>What the lock server said.</summary>
        public SharedPublishResult Result;

        /// <summary>The commit's folder-wide sequence, when known.</summary>
        public long? Seq;

        /// <summary>
        /// The commit is durable but went to the files only: other hosts see it once they read the files again after the
        /// generation change, so this engine checkpoints right after publishing it.
        /// </summary>
        public bool LockServerLost => Result == SharedPublishResult.GenerationChanged;
    }

    /// <summary>Mirrors this engine's own commit into its shared view (inside the publish, so its next reads see it).</summary>
    private void MirrorOwnCommit(CommitRecord record, long[] counts, ulong logSeq)
    {
        if (View is not { } view) return;
        for (int i = 0; i < record.Stores.Count; i++)
        {
            var section = record.Stores[i];
            foreach (var n in section.Nodes) view.MergeHandle(section.StoreId, n.Handle);
            view.MergeCount(section.StoreId, WriterSlot, counts[i], logSeq);
        }
    }

    /// <summary>A store's count: per slot, the file's value or the shared view's newer one.</summary>
    private long SharedCountOf(StoreRuntime store)
    {
        var onFile = store.Counters.ReadAll();
        long sum = 0;
        for (int slot = 0; slot < onFile.Length; slot++)
            sum += View!.TryGetCount(store.Info.StoreId, slot, out var shared) && shared.Seq > onFile[slot].LastSeq ? shared.Cumulative : onFile[slot].Cumulative;
        return sum;
    }

    /// <summary>Checkpoints after the lock server lost its state, so other hosts find this host's commits in the files.</summary>
    private async Task CheckpointAfterLockServerLossAsync()
    {
        try
        {
            if (!_disposed && !_faulted) await CheckpointAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SopException or ObjectDisposedException)
        {
            _logger.LogWarning(e, "checkpoint after the lock server lost its state failed; other hosts may read older files until the next one");
        }
    }

    /// <summary>The lock server's generation, per writer slot the last log sequence it has in it, and the commits it refused; null on one host.</summary>
    private SharedMarks? SharedMarks() => Shared?.PublishedThrough();
}
