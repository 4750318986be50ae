using System.Buffers.Binary;
using System.IO.Hashing;
using Sop.Errors;
using Sop.Ids;
using Sop.Storage;

namespace Sop.Registry;

/// <summary>
/// A store's registry as an open-addressing hash table in one file: a 4 KiB header, then 2^k records of 64 bytes
/// (<see cref="HandleRecord"/>), linear probing, tombstones for removed nodes. A lookup reads one record per probe,
/// so it costs O(1) positioned reads whatever the registry's size.
/// </summary>
/// <remarks>
/// <para>Growth: when live records plus tombstones pass 3/4 of the capacity, the live records are rehashed into a
/// file of the next epoch with twice the capacity, that file is fsynced and sealed in its header, and only then is
/// the old file deleted. Opening takes the newest sealed epoch, so a crash during growth loses nothing.</para>
/// <para>A record with a bad CRC is never used: a lookup whose probe chain meets one throws
/// <see cref="DataCorruptionException"/> (after re-reading it a few times, since a concurrent write may be in flight).
/// A write of the id whose bytes the damaged record still carries repairs it in place (recovery does that from the
/// commit log for torn writes); a record whose id bytes are damaged cannot be attributed, so it stays reported.
/// Growth carries damaged records over as they are, on the chain of the id their bytes name, rather than silently
/// losing the node they named or blocking the registry (and recovery) from growing.</para>
/// </remarks>
public sealed class RegistryFile : IRegistry
{
    private const int HeaderSize = 4096;
    private const uint Magic = 0x52504F53; // "SOPR"
    private const ushort FormatVersion = 1;
    private const int InitialCapacityLog2 = 10;

    private readonly IFileSystem _fs;
    private readonly DataFolderLayout _layout;
    private readonly string _store;
    private readonly object _writeGate = new();
    private readonly List<IRandomAccessFile> _retired = [];
    private readonly IRangeLockFile _writers;
    private readonly bool _fresh;
    private volatile Table _table;
    private int _copiedSinceAsked;

    private RegistryFile(IFileSystem fs, DataFolderLayout layout, string store, Table table, bool fresh)
    {
        _fs = fs;
        _layout = layout;
        _store = store;
        _table = table;
        _fresh = fresh;
        _writers = fs.OpenRangeLocks(Path.Combine(layout.StoreDirectory(store), "registry.lck"));
    }

    /// <summary>The growth epoch of the current file.</summary>
    public int Epoch => _table.Epoch;

    /// <summary>Slots in the current file.</summary>
    public long Capacity => _table.Mask + 1;

    /// <summary>Creates an empty registry for a new store (the store folder must exist). The file is fsynced.</summary>
    public static RegistryFile Create(IFileSystem fs, DataFolderLayout layout, string store)
    {
        var table = Table.CreateFile(fs, layout.RegistryPath(store, 1), epoch: 1, InitialCapacityLog2);
        return new RegistryFile(fs, layout, store, table, fresh: false);
    }

    /// <summary>Opens a store's registry: the newest sealed epoch; leftovers of an interrupted growth are removed.</summary>
    /// <param name="fs">The file system.</param>
    /// <param name="layout">The folder.</param>
    /// <param name="store">The store's name.</param>
    /// <param name="freshUnderLock">
    /// For a folder shared by several hosts, where this host's page cache may hold stale pages of another host's
    /// writes: writes, recovery lookups and scans then read the file through a handle opened for the purpose
    /// (close-to-open consistency), writes under the writer lock, and a write never lowers a node's version on file.
    /// Lock-free lookups read a copy of the file taken at open (and at each growth or reopening), never pages another
    /// host may be rewriting; whoever uses them catches up with the lock server after each copy
    /// (<see cref="TakeCopied"/>), so the shared view covers every node changed since.
    /// </param>
    public static RegistryFile Open(IFileSystem fs, DataFolderLayout layout, string store, bool freshUnderLock = false)
    {
        // Leftovers are removed only while no engine writes (growth happens under the writer lock): an unsealed newer
        // file may be another engine's growth in progress, and the older one is still its table until it seals.
        using var writers = fs.OpenRangeLocks(Path.Combine(layout.StoreDirectory(store), "registry.lck"));
        bool mayClean = writers.TryLock(0);
        try
        {
            var epochs = fs.ListFiles(layout.StoreDirectory(store)).Select(DataFolderLayout.RegistryEpoch).Where(e => e > 0)
                .OrderByDescending(e => e).ToList();
            foreach (int epoch in epochs)
            {
                var table = Table.TryOpen(fs, layout.RegistryPath(store, epoch), epoch);
                if (table is null)
                {
                    if (mayClean) fs.DeleteFile(layout.RegistryPath(store, epoch)); // unsealed: a growth that did not finish
                    continue;
                }
                if (mayClean) foreach (int older in epochs.Where(e => e < epoch)) fs.DeleteFile(layout.RegistryPath(store, older));
                return new RegistryFile(fs, layout, store, freshUnderLock ? CopyAndClose(table) : table, freshUnderLock);
            }
            throw new DataCorruptionException($"store '{store}' has no valid registry file");
        }
        finally
        {
            if (mayClean) writers.Unlock(0);
        }
    }

    /// <summary>
    /// Switches to a newer epoch when another engine on the folder grew the registry (one file-existence check).
    /// Called when a transaction starts using the store and inside the commit gate, so a commit never validates
    /// against a retired file.
    /// </summary>
    public void Refresh()
    {
        // Usually one check: no next epoch, so the current file is the newest. When another engine grew the registry
        // more than once since the last look, the next epoch is gone too and so is the current file.
        if (!_fs.FileExists(_layout.RegistryPath(_store, _table.Epoch + 1)) && _fs.FileExists(_layout.RegistryPath(_store, _table.Epoch))) return;
        lock (_writeGate) RefreshCore();
    }

    /// <summary>
    /// Moves to the newest sealed epoch. A grower seals the new file before it deletes the old one, so while the
    /// current file exists it is valid (a newer one may still be unsealed, or left unsealed by a grower that died),
    /// and once it is gone a newer sealed one exists.
    /// </summary>
    private void RefreshCore()
    {
        for (int attempt = 0; ; attempt++)
        {
            var newer = _fs.ListFiles(_layout.StoreDirectory(_store)).Select(DataFolderLayout.RegistryEpoch)
                .Where(e => e > _table.Epoch).OrderDescending().ToList();
            foreach (int epoch in newer)
            {
                var table = Table.TryOpen(_fs, _layout.RegistryPath(_store, epoch), epoch);
                if (table is null) continue; // unsealed: still being written, or its grower died
                Retire(_table);
                _table = _fresh ? Copied(CopyAndClose(table)) : table;
                return;
            }
            if (_fs.FileExists(_layout.RegistryPath(_store, _table.Epoch))) return; // ours is still the newest sealed one
            if (attempt >= 1000) throw new DataCorruptionException($"store '{_store}' has no sealed registry file newer than epoch {_table.Epoch}, which is gone");
            Thread.Yield(); // the listing raced a growth that sealed its file and deleted ours: look again
        }
    }

    /// <inheritdoc />
    public bool TryGet(NodeId id, out Handle handle)
    {
        while (true)
        {
            var t = _table;
            if (t.TryFind(id, out handle, out _, out _)) return true;
            if (ReferenceEquals(t, _table)) return false; // no growth raced the lookup
        }
    }

    /// <summary>
    /// Fresh mode: true once after lock-free lookups moved to a new copy of the file, which may hold commits the
    /// shared view has not caught up with yet: the caller catches up before it relies on them.
    /// </summary>
    public bool TakeCopied() => Interlocked.Exchange(ref _copiedSinceAsked, 0) == 1;

    private Table Copied(Table copy)
    {
        Volatile.Write(ref _copiedSinceAsked, 1);
        return copy;
    }

    /// <summary>A table whose file is an in-memory copy of <paramref name="table"/>'s, which stays open.</summary>
    private static Table CopyOf(Table table)
    {
        var bytes = new byte[table.File.Length];
        for (int read = 0; read < bytes.Length;)
        {
            int n = table.File.Read(read, bytes.AsSpan(read));
            if (n <= 0) break;
            read += n;
        }
        return new Table { File = new FileCopy(bytes), Epoch = table.Epoch, CapacityLog2 = table.CapacityLog2, Occupied = table.Occupied };
    }

    private static Table CopyAndClose(Table table)
    {
        try
        {
            return CopyOf(table);
        }
        finally
        {
            table.File.Dispose();
        }
    }

    /// <inheritdoc />
    public RecoveryLookup TryGetForRecovery(NodeId id, out Handle handle)
    {
        if (!_fresh) return LookUpForRecovery(_table, id, out handle);
        var (found, h) = UnderWriterLock(t => (LookUpForRecovery(t, id, out var h), h));
        handle = h;
        return found;
    }

    /// <summary>
    /// Fresh mode: runs <paramref name="read"/> on a newly opened handle under the writer lock of every host, so no
    /// record is seen half written by another host (which recovery would take for damage).
    /// </summary>
    private T UnderWriterLock<T>(Func<Table, T> read)
    {
        lock (_writeGate)
        {
            LockWriters();
            try
            {
                return OnFreshTable(read);
            }
            finally
            {
                _writers.Unlock(0);
            }
        }
    }

    /// <summary>Takes the writer lock of every engine on the folder (the caller holds <c>_writeGate</c> and unlocks).</summary>
    private void LockWriters()
    {
        var spin = new SpinWait();
        while (!_writers.TryLock(0)) spin.SpinOnce();
    }

    /// <summary>Runs <paramref name="read"/> on a newly opened handle of the newest file, closed after (the caller holds <c>_writeGate</c>).</summary>
    private T OnFreshTable<T>(Func<Table, T> read)
    {
        var t = OpenFresh();
        try
        {
            return read(t);
        }
        finally
        {
            t.File.Dispose();
        }
    }

    /// <summary>
    /// Keeps a replaced table's file open until the registry closes, since lock-free readers may still be probing it;
    /// an in-memory copy needs no closing, and its readers keep it alive themselves.
    /// </summary>
    private void Retire(Table replaced)
    {
        if (replaced.File is not FileCopy) _retired.Add(replaced.File);
    }

    private static RecoveryLookup LookUpForRecovery(Table t, NodeId id, out Handle handle)
    {
        if (t.TryFind(id, out handle, out _, out _, recovery: true)) return RecoveryLookup.Found;
        return t.DamagedSlotOf(id) >= 0 ? RecoveryLookup.Damaged : RecoveryLookup.Absent;
    }

    /// <summary>
    /// The newest epoch's file through a new handle, so this host reads what other hosts wrote before it opened (the
    /// caller holds <c>_writeGate</c>; another host may have grown the registry since this one last looked).
    /// </summary>
    private Table OpenFresh()
    {
        RefreshCore();
        return Table.TryOpen(_fs, _layout.RegistryPath(_store, _table.Epoch), _table.Epoch, countOccupied: false)
            ?? throw new DataCorruptionException($"store '{_store}' lost its registry file of epoch {_table.Epoch}");
    }

    /// <summary>
    /// Replaces the long-lived handle with a new one (after the lock server lost the shared view, every host reads the
    /// files again once they were checkpointed).
    /// </summary>
    public void Reopen()
    {
        lock (_writeGate)
        {
            var t = CopyAndClose(OpenFresh());
            Retire(_table);
            _table = Copied(t);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writers of every engine on the folder take the registry's writer lock (a byte-range lock on
    /// <c>registry.lck</c>) around a write: two inserts must not claim the same free slot, and nobody may write into a
    /// file that another engine has just replaced by growing it. The lock is held for a few positioned writes.
    /// </remarks>
    public void Write(ReadOnlySpan<Handle> handles)
    {
        lock (_writeGate)
        {
            LockWriters();
            try
            {
                if (!_fresh) RefreshCore(); // OpenFresh refreshes too
                var t = _fresh ? OpenFresh() : _table;
                try
                {
                    t.Occupied = t.ReadSharedOccupied(); // other engines insert too
                    foreach (var h in handles)
                    {
                        // another host may have published a newer version and written it here first
                        if (_fresh && t.VersionOnFile(h.LogicalId) >= h.Version) continue;
                        if (!h.IsDeleted && (t.Occupied + 1) * 4 > (t.Mask + 1) * 3) t = Grow(t);
                        t.Put(h);
                    }
                }
                finally
                {
                    if (!ReferenceEquals(t, _table)) t.File.Dispose();
                }
            }
            finally
            {
                _writers.Unlock(0);
            }
        }
    }

    /// <inheritdoc />
    public void Flush()
    {
        if (!_fresh)
        {
            _table.File.Flush();
            return;
        }
        lock (_writeGate) OnFreshTable(t => // the long-lived table is an in-memory copy
        {
            t.File.Flush();
            return true;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<Handle> Scan()
    {
        return _fresh ? UnderWriterLock(t => t.ScanLive()) : _table.ScanLive();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_writeGate)
        {
            _table.File.Dispose();
            foreach (var f in _retired) f.Dispose();
            _writers.Dispose();
        }
    }

    /// <summary>Moves <paramref name="old"/> (the long-lived table, or a fresh handle on the same file) into a larger new epoch.</summary>
    private Table Grow(Table old)
    {
        var live = old.ScanLive();
        var damaged = old.ScanDamaged(); // carried over as they are: still reported, still repairable by a write of their id
        int log2 = old.CapacityLog2;
        while ((long)live.Count * 2 > (1L << log2)) log2++;
        if ((1L << log2) <= old.Mask + 1 && live.Count * 4 > (old.Mask + 1)) log2++;
        var next = Table.CreateFile(_fs, _layout.RegistryPath(_store, old.Epoch + 1), old.Epoch + 1, log2, live, damaged);
        _fs.SyncDirectory(_layout.StoreDirectory(_store));
        var longLived = _table;
        _table = _fresh ? Copied(CopyOf(next)) : next; // fresh mode: the writer goes on writing into next
        Retire(longLived);
        if (!ReferenceEquals(old, longLived)) old.File.Dispose();
        _fs.DeleteFile(_layout.RegistryPath(_store, old.Epoch));
        return next;
    }

    /// <summary>A read-only in-memory copy of a registry file (fresh mode's lock-free lookups).</summary>
    private sealed class FileCopy(byte[] bytes) : IRandomAccessFile
    {
        public long Length => bytes.Length;

        public int Read(long offset, Span<byte> buffer)
        {
            if (offset >= bytes.Length) return 0;
            int n = (int)Math.Min(buffer.Length, bytes.Length - offset);
            bytes.AsSpan((int)offset, n).CopyTo(buffer);
            return n;
        }

        public void SetLength(long length) => throw new InvalidOperationException("a registry copy is read-only");

        public void Write(long offset, ReadOnlySpan<byte> data) => throw new InvalidOperationException("a registry copy is read-only");

        public void Flush()
        {
        }

        public void FlushData()
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class Table
    {
        public required IRandomAccessFile File { get; init; }
        public required int Epoch { get; init; }
        public required int CapacityLog2 { get; init; }
        public long Mask => (1L << CapacityLog2) - 1;
        /// <summary>Live + tombstones + damaged slots (what a probe must pass); shared through header bytes 64..71, written under the writer lock.</summary>
        public long Occupied;

        private const int OccupiedOffset = 64;

        public long ReadSharedOccupied()
        {
            Span<byte> b = stackalloc byte[8];
            return File.Read(OccupiedOffset, b) == 8 ? Math.Max(Occupied, BinaryPrimitives.ReadInt64LittleEndian(b)) : Occupied;
        }

        private void WriteSharedOccupied()
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, Occupied);
            File.Write(OccupiedOffset, b);
        }

        public static Table CreateFile(IFileSystem fs, string path, int epoch, int log2, IReadOnlyList<Handle>? content = null, IReadOnlyList<byte[]>? damaged = null)
        {
            var file = fs.Open(path, FileOpenMode.Create);
            var table = new Table { File = file, Epoch = epoch, CapacityLog2 = log2 };
            file.SetLength(HeaderSize + ((1L << log2) * HandleRecord.Size));
            file.Write(0, Header(epoch, log2, sealed_: false));
            foreach (var h in content ?? []) table.Put(h);
            foreach (var raw in damaged ?? []) table.PlaceRaw(raw);
            table.WriteSharedOccupied();
            file.Flush();
            file.Write(0, Header(epoch, log2, sealed_: true)); // sealed only once the content is durable
            file.Flush();
            return table;
        }

        public static Table? TryOpen(IFileSystem fs, string path, int epoch, bool countOccupied = true)
        {
            var file = fs.Open(path, FileOpenMode.Open);
            Span<byte> h = stackalloc byte[64];
            if (file.Read(0, h) < 64 || BinaryPrimitives.ReadUInt32LittleEndian(h) != Magic
                || BinaryPrimitives.ReadUInt32LittleEndian(h[60..]) != Crc32.HashToUInt32(h[..60]))
            {
                file.Dispose();
                return null;
            }
            ushort format = BinaryPrimitives.ReadUInt16LittleEndian(h[4..]);
            if (format != FormatVersion) throw new DataCorruptionException($"registry {path}: unknown format version {format}");
            int log2 = BinaryPrimitives.ReadInt32LittleEndian(h[12..]);
            if (h[16] != 1 || BinaryPrimitives.ReadInt32LittleEndian(h[8..]) != epoch || log2 is < 1 or > 40)
            {
                file.Dispose();
                return null;
            }
            var table = new Table { File = file, Epoch = epoch, CapacityLog2 = log2 };
            if (!countOccupied) return table; // the caller holds the writer lock and reads the shared count
            table.Occupied = table.CountOccupied();
            table.WriteSharedOccupied(); // the scan is the truth; the shared count only speeds up other engines
            return table;
        }

        private static byte[] Header(int epoch, int log2, bool sealed_)
        {
            var h = new byte[64];
            BinaryPrimitives.WriteUInt32LittleEndian(h, Magic);
            BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(4), FormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(8), epoch);
            BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(12), log2);
            h[16] = sealed_ ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(60), Crc32.HashToUInt32(h.AsSpan(0, 60)));
            return h;
        }

        private static long Offset(long slot) => HeaderSize + (slot * HandleRecord.Size);

        /// <summary>Probes for <paramref name="id"/>; also reports the first reusable slot on the way (for inserts).</summary>
        public bool TryFind(NodeId id, out Handle handle, out long slot, out long reusable, bool recovery = false)
        {
            Span<byte> rec = stackalloc byte[HandleRecord.Size];
            reusable = -1;
            long mask = Mask;
            long s = HandleRecord.Home(id, mask);
            for (long probes = 0; probes <= mask; probes++, s = (s + 1) & mask)
            {
                var state = ReadSlot(s, rec, out handle, retryCorrupt: !recovery);
                switch (state)
                {
                    case HandleRecord.State.Free:
                        slot = s;
                        if (reusable < 0) reusable = s;
                        return false;
                    case HandleRecord.State.Live when handle.LogicalId == id:
                        slot = s;
                        return true;
                    case HandleRecord.State.Tombstone when handle.LogicalId == id:
                        // The id's own tombstone: nothing further down the chain can hold it.
                        slot = s;
                        if (reusable < 0) reusable = s;
                        handle = default;
                        return false;
                    case HandleRecord.State.Tombstone:
                        if (reusable < 0) reusable = s;
                        break;
                    case HandleRecord.State.Corrupt when recovery:
                        break; // reported through DamagedSlotOf when it carries the id
                    case HandleRecord.State.Corrupt:
                        throw new DataCorruptionException($"registry record {s} of {File} failed its checksum");
                }
            }
            handle = default;
            slot = -1;
            return false;
        }

        /// <summary>The version of the id's live record or tombstone, 0 when it has none.</summary>
        public uint VersionOnFile(NodeId id)
        {
            Span<byte> rec = stackalloc byte[HandleRecord.Size];
            long mask = Mask;
            long s = HandleRecord.Home(id, mask);
            for (long probes = 0; probes <= mask; probes++, s = (s + 1) & mask)
            {
                var state = ReadSlot(s, rec, out var handle, retryCorrupt: false);
                if (state == HandleRecord.State.Free) return 0;
                if (state is HandleRecord.State.Live or HandleRecord.State.Tombstone && handle.LogicalId == id) return handle.Version;
            }
            return 0;
        }

        /// <summary>The damaged slot on the id's probe chain whose id bytes match, or -1.</summary>
        public long DamagedSlotOf(NodeId id)
        {
            Span<byte> rec = stackalloc byte[HandleRecord.Size];
            Span<byte> idBytes = stackalloc byte[16];
            id.Value.TryWriteBytes(idBytes);
            long mask = Mask;
            long s = HandleRecord.Home(id, mask);
            for (long probes = 0; probes <= mask; probes++, s = (s + 1) & mask)
            {
                var state = ReadSlot(s, rec, out _, retryCorrupt: false);
                if (state == HandleRecord.State.Free) return -1;
                if (state == HandleRecord.State.Corrupt && rec[..16].SequenceEqual(idBytes)) return s;
            }
            return -1;
        }

        private HandleRecord.State ReadSlot(long s, Span<byte> rec, out Handle handle, bool retryCorrupt)
        {
            HandleRecord.State state = HandleRecord.State.Corrupt;
            handle = default;
            for (int attempt = 0; attempt < (retryCorrupt ? 4 : 1); attempt++)
            {
                if (File.Read(Offset(s), rec) < HandleRecord.Size) rec.Clear();
                state = HandleRecord.Read(rec, out handle);
                if (state != HandleRecord.State.Corrupt) break;
                Thread.Yield(); // a concurrent positioned write may be half copied
            }
            return state;
        }

        public void Put(in Handle h)
        {
            // Damaged records are skipped, never overwritten blindly: only a damaged record that carries this very id is
            // repaired in place; another id's damaged record stays and keeps being reported.
            bool found = TryFind(h.LogicalId, out _, out long slot, out long reusable, recovery: true);
            long damaged = found ? -1 : DamagedSlotOf(h.LogicalId);
            if (!found && damaged < 0 && h.IsDeleted) return; // nothing live to remove
            long target = found ? slot : damaged >= 0 ? damaged : reusable;
            if (target < 0) throw new InvalidOperationException("registry table is full"); // growth keeps it below 3/4
            Span<byte> rec = stackalloc byte[HandleRecord.Size];
            Span<byte> before = stackalloc byte[HandleRecord.Size];
            if (!found && damaged < 0)
            {
                if (File.Read(Offset(target), before) < HandleRecord.Size) before.Clear();
                if (HandleRecord.Read(before, out _) == HandleRecord.State.Free)
                {
                    Occupied++;
                    WriteSharedOccupied();
                }
            }
            HandleRecord.Write(rec, h);
            File.Write(Offset(target), rec);
        }

        public IReadOnlyList<Handle> ScanLive()
        {
            var result = new List<Handle>();
            ForEachRecord((state, h) => { if (state == HandleRecord.State.Live) result.Add(h); });
            return result;
        }

        /// <summary>The raw bytes of every damaged record.</summary>
        public List<byte[]> ScanDamaged()
        {
            var result = new List<byte[]>();
            var buffer = new byte[HandleRecord.Size * 1024];
            long total = Mask + 1;
            for (long first = 0; first < total; first += 1024)
            {
                int count = (int)Math.Min(1024, total - first);
                var span = buffer.AsSpan(0, count * HandleRecord.Size);
                span[File.Read(Offset(first), span)..].Clear();
                for (int i = 0; i < count; i++)
                {
                    var rec = span.Slice(i * HandleRecord.Size, HandleRecord.Size);
                    if (HandleRecord.Read(rec, out _) == HandleRecord.State.Corrupt) result.Add(rec.ToArray());
                }
            }
            return result;
        }

        /// <summary>Puts a damaged record's bytes on the probe chain of the id its bytes name (where a repair looks for it).</summary>
        private void PlaceRaw(byte[] raw)
        {
            Span<byte> rec = stackalloc byte[HandleRecord.Size];
            long mask = Mask;
            for (long s = HandleRecord.Home(new NodeId(new Guid(raw.AsSpan(0, 16))), mask), probes = 0; probes <= mask; probes++, s = (s + 1) & mask)
            {
                if (File.Read(Offset(s), rec) < HandleRecord.Size) rec.Clear();
                if (HandleRecord.Read(rec, out _) != HandleRecord.State.Free) continue;
                File.Write(Offset(s), raw);
                Occupied++;
                return;
            }
        }

        private long CountOccupied()
        {
            long n = 0;
            ForEachRecord((state, _) => { if (state != HandleRecord.State.Free) n++; });
            return n;
        }

        private void ForEachRecord(Action<HandleRecord.State, Handle> visit)
        {
            var buffer = new byte[HandleRecord.Size * 1024];
            long total = Mask + 1;
            for (long first = 0; first < total; first += 1024)
            {
                int count = (int)Math.Min(1024, total - first);
                var span = buffer.AsSpan(0, count * HandleRecord.Size);
                int read = File.Read(Offset(first), span);
                span[read..].Clear();
                for (int i = 0; i < count; i++)
                {
                    var state = HandleRecord.Read(span.Slice(i * HandleRecord.Size, HandleRecord.Size), out var h);
                    visit(state, h);
                }
            }
        }

        public override string ToString() => $"registry epoch {Epoch}";
    }
}
