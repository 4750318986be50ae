using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sop.Caching;
using Sop.Coordination;
using Sop.Diagnostics;
using Sop.Errors;
using Sop.Ids;
using Sop.Log;
using Sop.Storage;
using Sop.Transactions;

namespace Sop;

public sealed partial class SopEngine
{
    private const int MaxCommitRounds = 10_000;
    private static readonly TimeSpan LockWaitSlice = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The commit protocol; each round:
    /// <list type="number">
    /// <item>From the second round on, the in-flight merge: replay the transaction's operation log (its writes and the
    /// reads they depended on) on the latest committed tree. A read that now returns something else, or a write whose
    /// precondition no longer holds (same key changed), is a <see cref="TransactionConflictException"/>.</item>
    /// <item>Lock the existing nodes the transaction changes (sorted, all or nothing) through the coordinator.</item>
    /// <item>Point B: every node it read or changed still has the version it read, and no node it only read is locked
    /// by another committer. Otherwise unlock, back off (jittered) and go to 1.</item>
    /// <item>Encode the changed nodes under fresh blob ids; write node and value blobs through the page cache.</item>
    /// <item>Hand the commit record to the group-commit pipeline: written into the preallocated log segment and
    /// fdatasynced together with the records of concurrent commits — <b>the commit point</b>, and the only sync
    /// (shared; a full fsync instead when the batch grows the segment) of a small commit. A commit with more
    /// than <see cref="Hosting.SopEngineOptions.CommitRecordImagesMaxBytes"/> of images first makes its blobs durable
    /// with one syncfs and logs only handles (two syncs, half the bytes).</item>
    /// <item>Publish (by the pipeline, in log order): registry records and count slot (page cache), new nodes into L1.</item>
    /// <item>Unlock; queue the replaced blobs for deletion once no running transaction can read them and a checkpoint
    /// made the replacement durable.</item>
    /// </list>
    /// A crash before step 5 leaves only unreferenced blobs; after it, recovery redoes step 6 from the log.
    /// Read-only transactions run steps 1 and 3 without locks.
    /// </summary>
    internal async ValueTask<ulong?> CommitAsync(Transaction tx, CancellationToken ct)
    {
        if (tx.Mode == TransactionMode.NoCheck) return null;
        bool lostLockRace = false;
        for (int round = 0; ; round++)
        {
            if (round > 0)
            {
                if (round > MaxCommitRounds || Options.Time.GetUtcNow() > tx.Deadline)
                    throw new TransactionConflictException(tx.Stores.FirstOrDefault()?.Store.Info.Name ?? "", null,
                        $"the transaction kept colliding with concurrent commits for {round} rounds until its maximum time; it was rolled back");
                SopMetrics.CommitRetries.Add(1, MetricTag);
                if (!lostLockRace) await BackOffAsync(round, ct).ConfigureAwait(false);
                lostLockRace = false;
                Merge(tx);
            }
            var changed = tx.Stores.Where(s => s.HasChanges).ToList();
            if (changed.Count == 0)
            {
                if (await PointBHoldsAsync(tx, [], ct).ConfigureAwait(false)) return null;
                continue;
            }
            var keys = changed.SelectMany(s => s.WrittenExistingNodes().Select(id => LockKey.ForNode(Header.DatabaseId, s.Store.Info.Name, id)))
                .Distinct().Order().ToList();
            long validatedAt = Stopwatch.GetTimestamp(); // the locks' lifetime starts no earlier than this
            if (!await Coordinator.TryLockAsync(keys, tx.Id, ct).ConfigureAwait(false))
            {
                // lost a lock race: wait for the holder to finish (it usually takes one fsync), then merge and retry
                await Coordinator.WaitForReleaseAsync(keys, tx.Id, LockWaitSlice, ct).ConfigureAwait(false);
                lostLockRace = true;
                continue;
            }
            ulong? committed = null;
            bool released = false;
            try
            {
                // Never validate against a half-published commit (an engine that died mid-publish is taken over here).
                StablePublishSeq();
                if (!await PointBHoldsAsync(tx, keys, ct).ConfigureAwait(false)) continue;
                ThrowIfFaulted();
                (committed, released) = await WriteAndPublishAsync(tx, changed, keys, () => LocksStillHeldAsync(keys, tx.Id, ref validatedAt, ct)).ConfigureAwait(false);
            }
            finally
            {
                // multi-host: the publish to the lock server released them already
                if (!released) await Coordinator.UnlockAsync(keys, tx.Id, CancellationToken.None).ConfigureAwait(false);
            }
            if (committed is not { } seq) continue; // the locks ran out before the commit record: nothing happened, retry
            // Committed: a checkpoint now is housekeeping, off the locks, and its failure is not the commit's.
            if (_log.SegmentBytes >= Options.CheckpointLogBytes) await TryCheckpointAsync().ConfigureAwait(false);
            return seq;
        }
    }

    /// <summary>
    /// The fence before the commit point (decisions.md 11): with locks that expire (Redis), a commit record is written
    /// only while the locks are surely still ours. Past half their lifetime since they were requested (a slow commit
    /// with many blobs, a long pause), they are extended first, which fails if they were lost; then the round starts over.
    /// </summary>
    private ValueTask<bool> LocksStillHeldAsync(List<LockKey> keys, Guid owner, ref long validatedAt, CancellationToken ct)
    {
        if (Coordinator.LockLifetime is not { } lifetime || Stopwatch.GetElapsedTime(validatedAt) < lifetime / 2) return ValueTask.FromResult(true);
        validatedAt = Stopwatch.GetTimestamp();
        return Coordinator.ValidateAsync(keys, [], owner, ct);
    }

    /// <summary>Step 1: replaces the transaction's store states by replays on the latest tree where a node moved.</summary>
    private void Merge(Transaction tx)
    {
        var replayed = new Dictionary<string, StoreTx>(StringComparer.Ordinal);
        foreach (var (name, s) in tx.NamedStores)
        {
            if (NodesCurrent(s)) continue;
            replayed[name] = s.Replay();
            SopMetrics.Merges.Add(1, MetricTag);
        }
        tx.ReplaceStates(replayed);
    }

    private bool NodesCurrent(StoreTx s)
    {
        if (s.Store.Dropped) throw StoreDeletedDuringTransaction(s);
        // Nothing published on the folder since this unchanged state last checked its pins (every pin loaded later was
        // checked against that same sequence): they are all current, with no registry read. A state with changes
        // always takes the full look, since the pin check skips the nodes it cloned.
        if (!s.HasChanges && s.CheckedAtPublishSeq >= 0 && PublishSeq == s.CheckedAtPublishSeq) return true;
        if (!StoreFilesCurrent(s.Store)) throw StoreDeletedDuringTransaction(s);
        foreach (var seen in s.SeenHandles())
            if (!s.Store.Registry.TryGet(seen.LogicalId, out var now) || now.Version != seen.Version) return false;
        return true;
    }

    private static TransactionConflictException StoreDeletedDuringTransaction(StoreTx s) =>
        new(s.Store.Info.Name, null, $"store '{s.Store.Info.Name}' was deleted during the transaction");

    /// <summary>
    /// Step 3: no node read (but not written) is being committed by someone else — checked together with the
    /// transaction's own locks (<paramref name="held"/>; on Redis they could have expired or been lost in a restart) —
    /// and then every node read or changed still has its version. In this order: a committer that locks after our lock check sees our locks in
    /// its own check; one that locked earlier is seen here; one that already unlocked has published, which the version
    /// check sees. The lock part is one coordinator call (one Redis round trip); on several hosts it also catches up
    /// with their commits (which publish and unlock in one step, so one that unlocked is in what comes back).
    /// </summary>
    private async ValueTask<bool> PointBHoldsAsync(Transaction tx, List<LockKey> held, CancellationToken ct)
    {
        var readOnly = new List<LockKey>();
        foreach (var s in tx.Stores)
            foreach (var seen in s.SeenHandles())
                if (!s.IsWritten(seen.LogicalId)) readOnly.Add(LockKey.ForNode(Header.DatabaseId, s.Store.Info.Name, seen.LogicalId));
        if (Shared is not null)
        {
            var (valid, changes) = await Shared.ValidateAndCatchUpAsync(held, readOnly, tx.Id, View!.Generation, View.Seq, ct).ConfigureAwait(false);
            ApplyShared(changes);
            if (!valid) return false;
        }
        // Locks just taken need no second look (the fence before the commit record covers their lifetime), so a commit
        // that read no node it does not write skips this call: two Redis round trips instead of three.
        else if (readOnly.Count > 0 && !await Coordinator.ValidateAsync(held, readOnly, tx.Id, ct).ConfigureAwait(false)) return false;
        foreach (var s in tx.Stores)
            if (!NodesCurrent(s)) return false;
        return true;
    }

    private static async ValueTask BackOffAsync(int round, CancellationToken ct)
    {
        if (round <= 2)
        {
            await Task.Yield();
            return;
        }
        int ceiling = Math.Min(50, 1 << Math.Min(round - 2, 6));
        await Task.Delay(Random.Shared.Next(1, ceiling + 1), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Steps 4 to 7 for a validated transaction holding its locks; null (nothing written that anyone can see) when
    /// <paramref name="fence"/> says the locks may be gone just before the commit record. Released: the multi-host
    /// publish let go of <paramref name="locks"/>.
    /// </summary>
    private async ValueTask<(ulong? Seq, bool Released)> WriteAndPublishAsync(Transaction tx, List<StoreTx> changed, List<LockKey> locks, Func<ValueTask<bool>> fence)
    {
        var record = new CommitRecord { TransactionId = tx.Id, UnixMs = Options.Time.GetUtcNow().ToUnixTimeMilliseconds(), Generation = View?.Generation };
        var newNodes = new List<(BlobId Blob, object Node, int Bytes)>();
        foreach (var s in changed) record.Stores.Add(s.BuildSection(newNodes));
        WriteBlobs(record);
        if (record.ImageBytes > Options.CommitRecordImagesMaxBytes)
        {
            // Large commit: one syncfs makes the blob files (and their folders) durable, so the record need not carry
            // the same bytes again. Two syncs in all instead of writing everything twice.
            _fs.SyncAll(Layout.Root);
            record.StripImages();
        }
        bool locksHeld = false;
        try
        {
            locksHeld = await fence().ConfigureAwait(false);
        }
        finally
        {
            if (!locksHeld) RemoveBlobsOf(record); // no record will name them
        }
        if (!locksHeld) return (null, false);
        var counts = new long[record.Stores.Count];
        var shared = Shared is null ? null : new CommitShare();
        ulong seq;
        try
        {
            seq = await _pipeline.SubmitAsync(record.Encode(), seq =>
            {
                // several hosts: the lock server first, this host's files after (outside the publish sequence, so
                // local readers do not wait out a network round trip)
                if (shared is not null) ShareCommit(record, changed, counts, seq, locks, tx.Id, shared);
                RunPublish(seq, () =>
                {
                    if (shared is null) AdvanceOwnCounts(record, changed, counts); // in log order
                    Publish(record, changed, seq, newNodes, counts);
                });
            }).ConfigureAwait(false);
        }
        catch (StorageException) when (!_faulted)
        {
            RemoveBlobsOf(record); // the record never made it to the log: its blobs are garbage
            throw;
        }
        catch (SharedPublishRefusedException)
        {
            // Several hosts: the locks ran out before the publish and another committer went on. The lock server
            // recorded the refusal (recovery never redoes the record); the round starts over, its locks are gone.
            RemoveBlobsOf(record);
            return (null, true);
        }
        // Several hosts: the blobs a commit replaced wait for the watermark in the folder-wide sequence; those of a
        // commit whose sequence is not known here (the lock server had lost its state, or a retried publish had
        // landed) wait for the orphan sweep.
        long publishedAt = shared is null ? GlobalPublished : shared.Seq ?? long.MaxValue;
        foreach (var section in record.Stores)
            foreach (var blob in section.Obsolete) _obsolete.Enqueue(new ObsoleteBlob(section.Name, blob, seq, publishedAt));
        if (shared is { LockServerLost: true }) await CheckpointAfterLockServerLossAsync().ConfigureAwait(false);
        return (seq, shared?.Released ?? false);
    }

    private void WriteBlobs(CommitRecord record)
    {
        try
        {
            foreach (var s in record.Stores)
            {
                foreach (var v in s.Values) Blobs.Write(s.Name, v.Id, EnvelopeKind.Value, v.Payload);
                foreach (var n in s.Nodes)
                    if (n.Image is not null) Blobs.Write(s.Name, n.Handle.Active, EnvelopeKind.Node, n.Image);
                SopMetrics.BlobsWritten.Add(s.Values.Count + s.Nodes.Count(n => n.Image is not null), MetricTag);
            }
        }
        catch (IOException e)
        {
            // Nothing is visible yet: remove what was written and report; the engine stays usable.
            RemoveBlobsOf(record);
            throw new StorageException("writing the transaction's blobs failed; it was rolled back: " + e.Message, e);
        }
    }

    private void RemoveBlobsOf(CommitRecord record)
    {
        foreach (var s in record.Stores)
        {
            foreach (var v in s.Values) TryDelete(s.Name, v.Id);
            foreach (var n in s.Nodes) if (!n.Handle.IsDeleted) TryDelete(s.Name, n.Handle.Active);
        }
    }

    private void TryDelete(string store, BlobId blob)
    {
        try
        {
            Blobs.Delete(store, blob);
        }
        catch (IOException)
        {
            // left for the orphan sweep
        }
    }

    /// <summary>
    /// A failed log write leaves the engine usable (the batch is cut back); a failed fsync does not: the kernel may
    /// have dropped dirty pages, so only a reopen (recovery from what is really on disk) can tell what survived.
    /// </summary>
    private Exception OnLogFailure(Exception e)
    {
        if (e is LogAppendException { DurabilityUnknown: false })
            return new StorageException("writing the commit log failed (" + e.Message + "); the transaction was not committed and was rolled back", e);
        _faulted = true;
        return new StorageException("the commit log could not be made durable; the transaction was not committed and the engine must be reopened: " + e.Message, e);
    }

    /// <summary>
    /// Step 6 inside the folder-wide publish sequence (odd while publishing), so no reader sees half of it. If the
    /// publish fails half way, it stays open (readers wait instead of seeing part of it), this engine stops, and it
    /// gives up its writer slot so another engine takes over and completes the publish from the log.
    /// </summary>
    private void RunPublish(ulong seq, Action publish)
    {
        // which record is being published, for whoever must take over this slot if the process dies now
        _publishCounters.Write(PublishingSeqCounter(WriterSlot), (long)seq);
        _publishCounters.Write(PublishingEpochCounter(WriterSlot), EpochStamp);
        _publishCounters.Increment(StartedCounter(WriterSlot));
        try
        {
            publish();
        }
        catch (Exception e)
        {
            _faulted = true;
            _slotLock.Dispose();
            throw new StorageException("the commit is durable but could not be published; this engine stopped and another engine (or a reopen) finishes it: " + e.Message, e);
        }
        _publishCounters.Increment(FinishedCounter(WriterSlot));
    }

    /// <summary>Step 6 proper; <paramref name="stores"/> are the runtimes of the record's sections, in order (validated under the locks).</summary>
    private void Publish(CommitRecord record, List<StoreTx> stores, ulong seq, List<(BlobId Blob, object Node, int Bytes)> newNodes, long[] counts)
    {
        for (int i = 0; i < record.Stores.Count; i++)
        {
            var runtime = stores[i].Store;
            runtime.Registry.Write(record.Stores[i].Nodes.Select(n => n.Handle).ToArray());
            runtime.Counters.Write(WriterSlot, counts[i], seq);
        }
        MirrorOwnCommit(record, counts, seq);
        foreach (var (blob, node, bytes) in newNodes) NodeCache.Put(blob, node, bytes);
        if (Options.L2Cache is not NullL2Cache) ShareWithL2(record);
    }

    /// <summary>This slot's new cumulative count per section (called in log order, under the log lock).</summary>
    private void AdvanceOwnCounts(CommitRecord record, List<StoreTx> stores, long[] counts)
    {
        for (int i = 0; i < record.Stores.Count; i++)
        {
            var section = record.Stores[i];
            // the first time: what the slot's previous owner (perhaps on another host) left
            if (!_ownCounts.TryGetValue(section.Name, out long own)) own = stores[i].Store.Counters.ReadForUpdate(WriterSlot).Cumulative;
            own += section.CountDelta;
            _ownCounts[section.Name] = own;
            counts[i] = own;
        }
    }

    /// <summary>Offers the new node images to the shared cache, off the commit path; a failing cache is ignored.</summary>
    private void ShareWithL2(CommitRecord record)
    {
        var images = record.Stores.SelectMany(s => s.Nodes.Where(n => n.Image is not null).Select(n => (s.Name, n.Handle.Active, n.Image!))).ToList();
        _ = Task.Run(async () =>
        {
            foreach (var (store, blob, image) in images)
            {
                try
                {
                    await Options.L2Cache.PutNodeAsync(store, blob, image, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _logger.LogDebug(e, "L2 cache put failed; readers fall back to the blob files");
                    return;
                }
            }
        });
    }

    private void ThrowIfFaulted()
    {
        if (_faulted) throw new StorageException("an earlier storage failure stopped this engine from committing; reopen it (recovery finishes what is durable)");
    }

    /// <summary>Makes everything published durable and truncates the commit log; then deletes blobs nobody can need.</summary>
    public async ValueTask CheckpointAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfFaulted();
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Checkpoint();
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    private async ValueTask TryCheckpointAsync()
    {
        if (!await _checkpointGate.WaitAsync(0).ConfigureAwait(false)) return; // one is running
        try
        {
            Checkpoint();
        }
        catch (IOException e)
        {
            _logger.LogWarning(e, "checkpoint failed; the commit log keeps everything until the next one");
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>
    /// Checkpoint steps: 1 under the log lock (nothing durable is unpublished then), note the last sequence P and start
    /// a new log segment · 2 syncfs: every blob, registry record, count slot and folder entry written so far becomes
    /// durable · 3 delete log segments that end at or before P · 4 delete replaced blobs of commits up to P that no
    /// running transaction can still read. A crash anywhere here loses nothing: the log still holds every record whose
    /// effects might not be durable.
    /// </summary>
    private void Checkpoint()
    {
        ulong through;
        lock (_pipeline.LogLock)
        {
            through = _log.NextSeq - 1;
            _log.RollSegment();
        }
        _fs.SyncAll(Layout.Root);
        lock (_pipeline.LogLock) _log.DeleteSegmentsBefore(through);
        _fs.SyncDirectory(Layout.LogDirectory(WriterSlot));
        long watermark = ReaderWatermark(); // running transactions of every engine on the folder
        int pending = _obsolete.Count;
        for (int i = 0; i < pending && _obsolete.TryDequeue(out var o); i++)
        {
            if (o.Seq > through || o.PublishedAt > watermark)
            {
                _obsolete.Enqueue(o); // still needed by a reader, or not yet durable
                continue;
            }
            NodeCache.Remove(o.Blob);
            TryDelete(o.Store, o.Blob);
        }
        _logger.LogDebug("checkpoint through log sequence {Seq} of writer slot {Slot}", through, WriterSlot);
    }
}
