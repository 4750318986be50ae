using Sop.Coordination;
using Sop.Errors;
using Sop.Ids;
using Sop.Log;
using Sop.Nodes;
using Sop.Registry;
using Sop.Storage;
using Sop.Transactions;
using Sop.Trees;

namespace Sop;

public sealed partial class SopEngine
{
    /// <summary>
    /// Creates a store as one committed transaction that writes its info and an empty root, so concurrent first
    /// writers never race to create a root.
    /// </summary>
    /// <exception cref="InvalidStoreNameException">Bad name.</exception>
    /// <exception cref="InvalidSlotLengthException">Slot length outside 4..10000.</exception>
    /// <exception cref="StoreAlreadyExistsException">The name is taken.</exception>
    public ValueTask<StoreInfo> CreateStoreAsync<TKey, TValue>(StoreOptions options, SopKeyComparer<TKey>? comparer = null, CancellationToken cancellationToken = default) =>
        CreateStoreCoreAsync<TKey, TValue>(options, comparer, allowSystem: false, cancellationToken);

    /// <summary>Creates a system store (name starting with '.'), for the engine's own users such as the compute swarm.</summary>
    public ValueTask<StoreInfo> CreateSystemStoreAsync<TKey, TValue>(StoreOptions options, SopKeyComparer<TKey>? comparer = null, CancellationToken cancellationToken = default) =>
        CreateStoreCoreAsync<TKey, TValue>(options, comparer, allowSystem: true, cancellationToken);

    private async ValueTask<StoreInfo> CreateStoreCoreAsync<TKey, TValue>(StoreOptions options, SopKeyComparer<TKey>? comparer, bool allowSystem, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        StoreNames.Validate(options.Name, allowSystem);
        if (options.SlotLength is < SopDefaults.MinSlotLength or > SopDefaults.MaxSlotLength)
            throw new InvalidSlotLengthException($"slot length {options.SlotLength} is outside {SopDefaults.MinSlotLength}..{SopDefaults.MaxSlotLength}");
        comparer ??= KeyComparers.Default<TKey>();
        var info = new StoreInfo
        {
            Name = options.Name,
            StoreId = Guid.NewGuid(),
            SlotLength = options.SlotLength,
            UniqueKeys = options.UniqueKeys,
            ValueInNode = options.ValueInNode,
            KeyComparer = comparer.Id,
            KeyType = typeof(TKey).FullName!,
            ValueType = typeof(TValue).FullName!,
            RootNodeId = Guid.NewGuid(),
            Created = Options.Time.GetUtcNow(),
            Description = options.Description,
        };
        var codec = new NodeCodec<TKey, TValue>(Json);
        var root = new CommitRecord.NodeChange(Handle.ForNew(info.RootId, BlobId.New()), codec.Encode(new Node<TKey, TValue>(info.RootId, [], null)));
        var section = new CommitRecord.StoreSection { Name = info.Name, StoreId = info.StoreId, CreateInfo = StoreFiles.EncodeInfo(info) };
        section.Nodes.Add(root);

        await WithStoreNameLockAsync(info.Name, async () =>
        {
            if (StoreFiles.TryReadInfo(_fs, Layout, info.Name) is not null)
                throw new StoreAlreadyExistsException($"store '{info.Name}' already exists");
            var record = new CommitRecord { TransactionId = Guid.NewGuid(), UnixMs = Options.Time.GetUtcNow().ToUnixTimeMilliseconds(), Stores = { section } };
            await _pipeline.SubmitAsync(record.Encode(), seq => RunPublish(seq, () =>
            {
                StoreFiles.Materialize(_fs, Layout, Blobs, info, root);
                var runtime = StoreFiles.Open(_fs, Layout, info, View);
                runtime.Counters.Write(WriterSlot, 0, seq);
                _ownCounts[info.Name] = 0;
                _stores[info.Name] = runtime;
            })).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
        return info;
    }

    /// <summary>Deletes a store and all its data, as one committed transaction. False when it does not exist.</summary>
    public ValueTask<bool> DeleteStoreAsync(string name, CancellationToken cancellationToken = default) => DeleteStoreCoreAsync(name, allowSystem: false, cancellationToken);

    /// <summary>Deletes a system store (name starting with '.').</summary>
    public ValueTask<bool> DeleteSystemStoreAsync(string name, CancellationToken cancellationToken = default) => DeleteStoreCoreAsync(name, allowSystem: true, cancellationToken);

    private async ValueTask<bool> DeleteStoreCoreAsync(string name, bool allowSystem, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        StoreNames.Validate(name, allowSystem);
        return await WithStoreNameLockAsync(name, async () =>
        {
            var info = StoreFiles.TryReadInfo(_fs, Layout, name);
            if (info is null) return false;
            var section = new CommitRecord.StoreSection { Name = name, StoreId = info.StoreId, Drop = true };
            var record = new CommitRecord
            {
                TransactionId = Guid.NewGuid(), UnixMs = Options.Time.GetUtcNow().ToUnixTimeMilliseconds(), Stores = { section }, Generation = View?.Generation,
            };
            var shared = Shared is null ? null : new CommitShare();
            await _pipeline.SubmitAsync(record.Encode(), seq =>
            {
                if (shared is not null) ShareDrop(record, info.StoreId, seq, shared); // the lock server before the files
                RunPublish(seq, () =>
                {
                    View?.MarkDropped(info.StoreId);
                    DropStoreFiles(name);
                });
            }).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Creating and deleting a name are serialized across engines by a lock on the name.</summary>
    private async ValueTask<T> WithStoreNameLockAsync<T>(string name, Func<Task<T>> action, CancellationToken ct)
    {
        var key = new[] { LockKey.ForStoreName(Header.DatabaseId, name) };
        var owner = Guid.NewGuid();
        var deadline = Options.Time.GetUtcNow() + Options.TransactionMaxTime;
        for (int round = 1; !await Coordinator.TryLockAsync(key, owner, ct).ConfigureAwait(false); round++)
        {
            if (Options.Time.GetUtcNow() > deadline) throw new TransactionTimeoutException($"store name '{name}' stayed locked by another engine");
            await BackOffAsync(round, ct).ConfigureAwait(false);
        }
        try
        {
            ThrowIfFaulted();
            return await action().ConfigureAwait(false);
        }
        finally
        {
            await Coordinator.UnlockAsync(key, owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void DropStoreFiles(string name)
    {
        if (_stores.TryRemove(name, out var runtime))
        {
            runtime.Dropped = true;
            runtime.Dispose();
        }
        _ownCounts.Remove(name);
        // The info goes first: from then on the store does not exist, even if deleting the rest is interrupted.
        _fs.DeleteFile(Layout.StoreInfoPath(name));
        _fs.SyncDirectory(Layout.StoreDirectory(name));
        Blobs.DeleteStore(name);
        _fs.DeleteDirectory(Layout.StoreDirectory(name));
    }

    /// <summary>
    /// True when the store still exists, with its registry on the newest epoch. The files are looked at only when
    /// another engine published something since the last look: a deletion or a registry growth is always part of a
    /// publish, and this engine's own ones update its runtime directly.
    /// </summary>
    internal bool StoreFilesCurrent(StoreRuntime runtime)
    {
        if (View?.IsDropped(runtime.Info.StoreId) == true) return false; // another host dropped it (its files may linger in our cache)
        long seq = OthersPublishSeq;
        if (seq == Volatile.Read(ref runtime.FilesCheckedAtPublishSeq) && (seq & 1) == 0) return !runtime.Dropped;
        if (runtime.Dropped || !_fs.FileExists(Layout.StoreInfoPath(runtime.Info.Name))) return false;
        runtime.Registry.Refresh();
        CatchUpAfterCopy(runtime);
        Volatile.Write(ref runtime.FilesCheckedAtPublishSeq, seq);
        return true;
    }

    /// <summary>Every user store (system stores are not listed).</summary>
    public IReadOnlyList<StoreInfo> ListStores()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = new List<StoreInfo>();
        foreach (string name in _fs.ListDirectories(Layout.StoresDirectory))
        {
            if (!StoreNames.IsValidUserName(name)) continue;
            var info = TryGetStoreInfo(name);
            if (info is not null) result.Add(info);
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>A store's info, or null when it does not exist.</summary>
    public StoreInfo? TryGetStoreInfo(string name)
    {
        if (!StoreNames.IsValidUserName(name) && !StoreNames.IsValidSystemName(name)) return null;
        try
        {
            return GetRuntime(name).Info;
        }
        catch (StoreNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A store's committed item count.</summary>
    /// <exception cref="StoreNotFoundException">No such store.</exception>
    public long GetCount(string name) => CountOf(GetRuntime(name));

    internal long CountOf(StoreRuntime store) => View is null ? store.Counters.Total() : SharedCountOf(store);

    /// <summary>
    /// The open store, opening it when another engine created it or when it is not loaded yet; its registry follows
    /// a growth by another engine.
    /// </summary>
    internal StoreRuntime GetRuntime(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        StoreNames.Validate(name, allowSystem: true);
        if (_stores.TryGetValue(name, out var runtime))
        {
            if (StoreFilesCurrent(runtime)) return runtime;
            // dropped by another engine
            if (_stores.TryRemove(name, out var gone))
            {
                gone.Dropped = true;
                gone.Dispose();
            }
            throw new StoreNotFoundException($"store '{name}' does not exist");
        }
        lock (_stores)
        {
            if (_stores.TryGetValue(name, out runtime)) return runtime;
            var info = StoreFiles.TryReadInfo(_fs, Layout, name);
            if (info is null || View?.IsDropped(info.StoreId) == true) throw new StoreNotFoundException($"store '{name}' does not exist");
            runtime = StoreFiles.Open(_fs, Layout, info, View);
            _stores[name] = runtime;
        }
        CatchUpAfterCopy(runtime); // several hosts: the registry was just copied
        return runtime;
    }
}
