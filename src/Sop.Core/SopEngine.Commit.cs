using Microsoft.Extensions.Logging;
using Sop.Errors;
using Sop.Ids;
using Sop.Log;
using Sop.Storage;
using Sop.Transactions;

namespace Sop;

public sealed partial class SopEngine
{
    /// <summary>
    /// The commit protocol. Steps (the fault-injection tests crash between each):
    /// <list type="number">
    /// <item>Read-only transactions validate their pinned node versions against the registry and end (no I/O but reads).</item>
    /// <item>Enter the folder-wide commit gate.</item>
    /// <item>Validate (point B): every node the transaction read or changed still has the version it read.</item>
    /// <item>Encode the changed nodes under fresh blob ids; write node and value blobs through the page cache.</item>
    /// <item>Append the commit record (new handles, images, values, count deltas, obsolete blobs) and fsync the log:
    /// <b>the commit point</b>. This is the only fsync of a commit.</item>
    /// <item>Publish: write the registry records and count slot (page cache), put the new nodes into L1.</item>
    /// <item>Queue the replaced blobs for deletion once no running transaction can need them and a checkpoint made the
    /// replacement durable; run a checkpoint when the log segment is large.</item>
    /// </list>
    /// A crash before step 5 leaves only unreferenced blobs; after it, recovery redoes step 6 from the log.
    /// </summary>
    internal async ValueTask CommitAsync(Transaction tx, CancellationToken ct)
    {
        if (tx.Mode == TransactionMode.NoCheck) return;
        var changed = tx.Stores.Where(s => s.HasChanges).ToList();
        if (changed.Count == 0)
        {
            Validate(tx); // step 1: a reader is serialized at the moment its pinned versions are all still current
            return;
        }
        using (await _gate.EnterAsync(tx.Deadline, Options.Time, ct).ConfigureAwait(false))
        {
            ThrowIfFaulted();
            foreach (var s in tx.Stores) s.Store.Registry.Refresh();
            Validate(tx);

            var record = new CommitRecord { TransactionId = tx.Id, UnixMs = Options.Time.GetUtcNow().ToUnixTimeMilliseconds() };
            var newNodes = new List<(string Store, BlobId Blob, object Node, int Bytes)>();
            foreach (var s in changed)
            {
                var nodes = new List<(BlobId Blob, object Node, int Bytes)>();
                record.Stores.Add(s.BuildSection(nodes));
                newNodes.AddRange(nodes.Select(n => (s.Store.Info.Name, n.Blob, n.Node, n.Bytes)));
            }
            WriteBlobs(record);
            ulong seq = AppendDurably(record);
            RunPublish(() => Publish(record, seq, newNodes));
            long publishedAt = PublishedCommits;
            foreach (var section in record.Stores)
                foreach (var blob in section.Obsolete) _obsolete.Enqueue(new ObsoleteBlob(section.Name, blob, seq, publishedAt));
            if (_log.SegmentBytes >= Options.CheckpointLogBytes) CheckpointUnderGate();
        }
    }

    private void Validate(Transaction tx)
    {
        foreach (var s in tx.Stores)
        {
            if (s.Store.Dropped || !_fs.FileExists(Layout.StoreInfoPath(s.Store.Info.Name)))
                throw new TransactionConflictException(s.Store.Info.Name, null, $"store '{s.Store.Info.Name}' was deleted during the transaction");
            foreach (var seen in s.SeenHandles())
            {
                if (!s.Store.Registry.TryGet(seen.LogicalId, out var now) || now.Version != seen.Version)
                    throw new TransactionConflictException(s.Store.Info.Name, null,
                        $"store '{s.Store.Info.Name}' changed since the transaction read it (node {seen.LogicalId}); it was rolled back, retry it");
            }
        }
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
            }
        }
        catch (IOException e)
        {
            // Nothing is visible yet: remove what was written and report; the engine stays usable.
            foreach (var s in record.Stores)
            {
                foreach (var v in s.Values) TryDelete(s.Name, v.Id);
                foreach (var n in s.Nodes) if (n.Image is not null) TryDelete(s.Name, n.Handle.Active);
            }
            throw new StorageException("writing the transaction's blobs failed; it was rolled back: " + e.Message, e);
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

    /// <summary>Step 5: appends the record and fsyncs. Returns its sequence number.</summary>
    private ulong AppendDurably(CommitRecord record)
    {
        try
        {
            return _log.AppendBatch([record.Encode()]);
        }
        catch (IOException e)
        {
            // After a failed fsync the kernel may have dropped the dirty pages: only a reopen (recovery from what is
            // really on disk) can tell what survived, so the engine stops taking commits.
            _faulted = true;
            throw new StorageException("the commit log could not be made durable; the transaction was not committed and the engine must be reopened: " + e.Message, e);
        }
    }

    /// <summary>Step 6 under the publish sequence (odd while publishing), so NoCheck readers never see half of it.</summary>
    private void RunPublish(Action publish)
    {
        Interlocked.Increment(ref _publishSeq);
        try
        {
            publish();
        }
        catch (Exception e) when (e is IOException or SopException)
        {
            _faulted = true;
            throw new StorageException("the commit is durable but could not be published; reopen the engine to finish it: " + e.Message, e);
        }
        finally
        {
            Interlocked.Increment(ref _publishSeq);
        }
    }

    private void Publish(CommitRecord record, ulong seq, List<(string Store, BlobId Blob, object Node, int Bytes)> newNodes)
    {
        foreach (var section in record.Stores)
        {
            var runtime = GetRuntime(section.Name);
            runtime.Registry.Write(section.Nodes.Select(n => n.Handle).ToArray());
            if (!_ownCounts.TryGetValue(section.Name, out long own)) own = runtime.Counters.Read(WriterSlot).Cumulative;
            own += section.CountDelta;
            _ownCounts[section.Name] = own;
            runtime.Counters.Write(WriterSlot, own, seq);
        }
        foreach (var (_, blob, node, bytes) in newNodes) NodeCache.Put(blob, node, bytes);
    }

    private void ThrowIfFaulted()
    {
        if (_faulted) throw new StorageException("an earlier storage failure stopped this engine from committing; reopen it (recovery finishes what is durable)");
    }

    /// <summary>Makes everything published durable and truncates the commit log; then deletes blobs nobody can need.</summary>
    public async ValueTask CheckpointAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using (await _gate.EnterAsync(DateTimeOffset.MaxValue, Options.Time, cancellationToken).ConfigureAwait(false))
        {
            ThrowIfFaulted();
            CheckpointUnderGate();
        }
    }

    /// <summary>
    /// Checkpoint steps: 1 note the last published sequence P and start a new log segment · 2 syncfs (every blob,
    /// registry record, count slot and folder entry written so far becomes durable) · 3 delete log segments that end at
    /// or before P · 4 delete replaced blobs of commits up to P that no running transaction can still read.
    /// A crash anywhere here loses nothing: the log still holds every record whose effects might not be durable.
    /// </summary>
    private void CheckpointUnderGate()
    {
        ulong through = _log.NextSeq - 1;
        _log.RollSegment();
        _fs.SyncAll(Layout.Root);
        _log.DeleteSegmentsBefore(through);
        long watermark = _active.IsEmpty ? long.MaxValue : _active.Values.Min();
        int kept = _obsolete.Count;
        for (int i = 0; i < kept && _obsolete.TryPeek(out var o); i++)
        {
            if (o.Seq > through || o.PublishedAt > watermark) break; // queue order = commit order
            _obsolete.TryDequeue(out _);
            NodeCache.Remove(o.Blob);
            TryDelete(o.Store, o.Blob);
        }
        _logger.LogDebug("checkpoint through log sequence {Seq} of writer slot {Slot}", through, WriterSlot);
    }
}
