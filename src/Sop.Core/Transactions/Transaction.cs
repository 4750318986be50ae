using Sop.Errors;
using Sop.Nodes;
using Sop.Storage;
using Sop.Trees;

namespace Sop.Transactions;

/// <summary>
/// One ACID transaction over any number of stores of a database folder. Writes are private until
/// <see cref="CommitAsync"/>; disposing without a commit rolls back. A transaction is used once: any call after it
/// ended throws <see cref="TransactionEndedException"/>.
/// </summary>
/// <remarks>
/// Isolation: the transaction pins every node at the version it first read (point A) and checks at commit that none
/// changed (point B); a change means <see cref="TransactionConflictException"/> and nothing is written. NoCheck
/// transactions skip that and re-read per operation, each operation seeing one whole committed state.
/// Not thread-safe.
/// </remarks>
public sealed class Transaction : IAsyncDisposable
{
    private readonly Dictionary<string, StoreTx> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _trees = new(StringComparer.Ordinal);
    private long _lastSeenSeq = -1;
    private State _state = State.Active;

    internal Transaction(SopEngine engine, TransactionMode mode, DateTimeOffset deadline, long startSeq)
    {
        Engine = engine;
        Mode = mode;
        Deadline = deadline;
        StartSeq = startSeq;
    }

    private enum State { Active, Committed, RolledBack }

    /// <summary>What the transaction may do.</summary>
    public TransactionMode Mode { get; }

    /// <summary>A unique id (appears in the commit log).</summary>
    public Guid Id { get; } = Ids.RandomGuids.New();

    /// <summary>When the transaction's maximum time runs out.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>
    /// After a commit that wrote something: the sequence number of its commit record in this engine's log. Commits of
    /// one engine are published in this order.
    /// </summary>
    public ulong? CommitSequence { get; private set; }

    /// <summary>True until it commits, rolls back or is disposed.</summary>
    public bool IsActive => _state == State.Active;

    internal SopEngine Engine { get; }

    internal long StartSeq { get; }

    internal IReadOnlyCollection<StoreTx> Stores => _stores.Values;

    private bool OtherStoresCurrent(StoreTx asking)
    {
        foreach (var s in _stores.Values)
            if (!ReferenceEquals(s, asking) && !s.CleanPinsCurrent()) return false;
        return true;
    }

    private T PinnedRead<T>(StoreTx store, Func<T> operation)
    {
        for (int attempt = 0; ; attempt++)
        {
            int logLength = store.LogLength;
            try
            {
                return operation();
            }
            catch (TransactionConflictException)
            {
                RollBackSilently(); // what the transaction read no longer holds: it cannot commit any more
                throw;
            }
            catch (StalePinsException) when (attempt < 1000)
            {
                try
                {
                    store.ResetAndReplay(logLength); // drop the operation, rebuild on the latest tree, run it again
                }
                catch (TransactionConflictException)
                {
                    RollBackSilently();
                    throw;
                }
            }
        }
    }

    private void RollBackSilently()
    {
        Diagnostics.SopMetrics.Conflicts.Add(1, Engine.MetricTag); // only a conflict raised by an operation ends a transaction this way
        _state = State.RolledBack;
        Engine.EndTransaction(this);
    }

    /// <summary>After an in-flight merge the commit continues with the replayed states.</summary>
    internal void ReplaceStates(IReadOnlyDictionary<string, StoreTx> replayed)
    {
        foreach (var (name, state) in replayed) _stores[name] = state;
    }

    internal IEnumerable<KeyValuePair<string, StoreTx>> NamedStores => _stores;

    /// <summary>Opens a store for this transaction; opening it again returns the same object.</summary>
    /// <param name="name">The store name.</param>
    /// <param name="comparer">Key order; must be the one the store was created with (default: UTF-8 byte order for strings, natural order otherwise).</param>
    /// <exception cref="StoreNotFoundException">No such store.</exception>
    /// <exception cref="StoreMismatchException">Other key/value types or another comparer than at creation.</exception>
    public BTree<TKey, TValue> OpenStore<TKey, TValue>(string name, SopKeyComparer<TKey>? comparer = null)
    {
        EnsureActive();
        StoreNames.Validate(name, allowSystem: true);
        if (_trees.TryGetValue(name, out var existing))
            return existing as BTree<TKey, TValue>
                ?? throw new StoreMismatchException($"store '{name}' is already open in this transaction with other key/value types");
        var runtime = Engine.GetRuntime(name);
        comparer ??= KeyComparers.Default<TKey>();
        var info = runtime.Info;
        if (info.KeyComparer != comparer.Id)
            throw new StoreMismatchException($"store '{name}' was created with key comparer '{info.KeyComparer}', not '{comparer.Id}'");
        if (info.KeyType != typeof(TKey).FullName || info.ValueType != typeof(TValue).FullName)
            throw new StoreMismatchException($"store '{name}' holds {info.KeyType} → {info.ValueType}, not {typeof(TKey).FullName} → {typeof(TValue).FullName}");
        var codec = (NodeCodec<TKey, TValue>)(runtime.Codec ??= new NodeCodec<TKey, TValue>(Engine.Json));
        var state = new StoreTx<TKey, TValue>(runtime, codec, comparer, Engine.Blobs, Engine.NodeCache, Engine.Options.L2Cache, Engine.Options.InlineValueMaxBytes, recording: Mode != TransactionMode.NoCheck,
            Mode == TransactionMode.NoCheck ? null : Engine.StablePublishSeq);
        if (Mode != TransactionMode.NoCheck) state.OtherStoresCurrent = OtherStoresCurrent;
        var tree = new BTree<TKey, TValue>(this, state);
        _stores[name] = state;
        _trees[name] = tree;
        return tree;
    }

    /// <summary>
    /// Commits: validates what was read and written, makes one commit record durable (the commit point), then
    /// publishes the changes. Throws <see cref="TransactionConflictException"/> when another commit got there
    /// first; the transaction is then rolled back.
    /// </summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureActive();
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            CommitSequence = await Engine.CommitAsync(this, cancellationToken).ConfigureAwait(false);
            _state = State.Committed;
            Diagnostics.SopMetrics.Commits.Add(1, Engine.MetricTag);
            if (CommitSequence is not null) Diagnostics.SopMetrics.CommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, Engine.MetricTag);
        }
        catch (Exception e)
        {
            _state = State.RolledBack;
            if (e is TransactionConflictException) Diagnostics.SopMetrics.Conflicts.Add(1, Engine.MetricTag);
            throw;
        }
        finally
        {
            Engine.EndTransaction(this);
        }
    }

    /// <summary>Discards every change. Nothing of it was ever visible or written.</summary>
    public ValueTask RollbackAsync()
    {
        // no deadline check: a transaction past its maximum time can always be rolled back (and disposed)
        if (_state != State.Active) throw new TransactionEndedException($"the transaction already {(_state == State.Committed ? "committed" : "rolled back")}");
        _state = State.RolledBack;
        Engine.EndTransaction(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Rolls back when still active.</summary>
    public ValueTask DisposeAsync() => _state == State.Active ? RollbackAsync() : ValueTask.CompletedTask;

    internal void EnsureActive()
    {
        if (_state != State.Active) throw new TransactionEndedException($"the transaction already {(_state == State.Committed ? "committed" : "rolled back")}");
        if (Engine.Options.Time.GetUtcNow() > Deadline)
        {
            RollBackSilently();
            throw new TransactionTimeoutException("the transaction ran past its maximum time and was rolled back");
        }
    }

    internal void EnsureWritable()
    {
        EnsureActive();
        if (Mode != TransactionMode.ForWriting)
        {
            RollBackSilently();
            throw new ReadOnlyTransactionException($"a {Mode} transaction cannot write; it was rolled back");
        }
    }

    /// <summary>
    /// Runs one operation against one whole committed state, so no operation sees part of a commit (decisions.md 3).
    /// NoCheck: re-reads per operation, retried when a commit was published meanwhile. Other modes: the transaction
    /// keeps reading the nodes it pinned (repeatable reads; a change to them fails the commit). Only when an operation
    /// needs a node it has not read yet while a commit moved pinned ones is its state rebuilt on the latest tree by
    /// replaying the operation log (the in-flight merge, done early) and the operation re-run; if what it read no
    /// longer holds, the transaction is rolled back with <see cref="TransactionConflictException"/> right there.
    /// </summary>
    internal T ConsistentRead<T>(StoreTx store, Func<T> read)
    {
        if (Mode != TransactionMode.NoCheck) return PinnedRead(store, read);
        while (true)
        {
            EnsureActive(); // bounded by the maximum time while commits keep coming
            long seq = Engine.StablePublishSeq();
            if (seq != _lastSeenSeq)
            {
                foreach (var s in _stores.Values) s.ForgetCleanNodes();
                _lastSeenSeq = seq;
            }
            try
            {
                T result = read();
                if (Engine.PublishSeq == seq) return result;
            }
            catch (TransactionConflictException) when (Engine.PublishSeq != seq)
            {
                // a node vanished because a commit was published during the walk: walk again
            }
        }
    }
}
