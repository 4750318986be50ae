using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sop.Blobs;
using Sop.Caching;
using Sop.Coordination;
using Sop.Errors;
using Sop.Hosting;
using Sop.Log;
using Sop.Storage;
using Sop.Transactions;

namespace Sop;

/// <summary>
/// The engine over one database folder: stores (B-Trees), transactions, the commit log and recovery. Open it with
/// <see cref="OpenAsync"/>; opening recovers whatever a crash left, so every acknowledged commit is there.
/// </summary>
/// <remarks>
/// Several engines (in one process or in several) may open the same folder: each claims its own writer slot (its
/// own commit log and count slot), committers lock only the nodes they change (through the <see cref="Coordinator"/>),
/// concurrent commits share one fsync (group commit), and readers take no locks. Thread-safe; transactions are not.
/// </remarks>
public sealed partial class SopEngine : IAsyncDisposable
{
    private const int MaxWriterSlots = CounterFile.Slots;
    private readonly IFileSystem _fs;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, StoreRuntime> _stores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Transaction, long> _active = new();
    private readonly ConcurrentQueue<ObsoleteBlob> _obsolete = new();
    private readonly Dictionary<string, long> _ownCounts = new(StringComparer.Ordinal);
    private readonly CommitPipeline _pipeline;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private readonly IDisposable _slotLock;
    private readonly CommitLog _log;
    private readonly ISharedCounters _publishCounters;
    private volatile bool _faulted;
    private bool _disposed;

    private SopEngine(SopEngineOptions options, DataFolderLayout layout, FolderHeader header, int slot, IDisposable slotLock, CommitLog log, ILogger logger)
    {
        Options = options;
        _fs = options.FileSystem;
        Layout = layout;
        Header = header;
        WriterSlot = slot;
        _slotLock = slotLock;
        _log = log;
        _logger = logger;
        _pipeline = new CommitPipeline(log, OnLogFailure);
        _publishCounters = _fs.OpenSharedCounters(Path.Combine(layout.Root, "publish.seq"));
        ClosePublishesOf(slot);
        Coordinator = options.Coordination?.Create(new CoordinationContext
        {
            Header = header,
            Layout = layout,
            FileSystem = _fs,
            Time = options.Time,
            Logger = logger,
            RecoverDeadEnginesAsync = _ =>
            {
                RecoverDeadSlots();
                return ValueTask.CompletedTask;
            },
            SharedStateLost = () => _ = Task.Run(CheckpointAfterLockServerLossAsync),
        }) ?? new FileLockCoordinator(_fs, layout);
        Shared = Coordinator as ISharedPublishes;
        View = Shared is null ? null : new SharedView();
        Blobs = new FileBlobStore(_fs, layout);
        NodeCache = new NodeCache(options.L1MaxNodes, options.L1MaxBytes);
        var json = options.Json is null ? new JsonSerializerOptions(JsonSerializerDefaults.Web) : new JsonSerializerOptions(options.Json);
        json.MaxDepth = Math.Max(json.MaxDepth, SopDefaults.JsonMaxDepth);
        json.MakeReadOnly(populateMissingResolver: true);
        Json = json;
    }

    /// <summary>The options the engine was opened with.</summary>
    public SopEngineOptions Options { get; }

    /// <summary>Where everything lives.</summary>
    public DataFolderLayout Layout { get; }

    /// <summary>The folder's header (identity, format).</summary>
    public FolderHeader Header { get; }

    /// <summary>This engine's writer slot (its commit log and count slot).</summary>
    public int WriterSlot { get; }

    /// <summary>The locks committing transactions take on the nodes they change.</summary>
    public ICoordinator Coordinator { get; }

    /// <summary>The tag on this engine's metrics: the folder's identity (one series per database, not per path).</summary>
    internal KeyValuePair<string, object?> MetricTag => new("sop.database", Header.DatabaseId.ToString("N"));

    /// <summary>The L1 node cache.</summary>
    public NodeCache NodeCache { get; }

    internal IBlobStore Blobs { get; }

    internal JsonSerializerOptions Json { get; }

    /// <summary>
    /// The folder-wide publish sequence: odd while any engine on the folder (in any process on this host) is
    /// publishing a commit; a reader whose operation saw the same even value before and after saw no part of one.
    /// Built from two shared counters, publishes started and finished.
    /// </summary>
    internal long PublishSeq => PublishSeqOf(skipSlot: -1);

    /// <summary>
    /// The publish sequence of the other engines on the folder only: what a store's files (still there, registry
    /// epoch) depend on, since this engine's own publishes change its view of them directly.
    /// </summary>
    internal long OthersPublishSeq => PublishSeqOf(skipSlot: WriterSlot);

    private long PublishSeqOf(int skipSlot)
    {
        int slots = (int)Math.Min(_publishCounters.Read(HighestSlotCounter) + 1, MaxWriterSlots);
        long started = 0;
        bool publishing = false;
        for (int slot = 0; slot < slots; slot++)
        {
            if (slot == skipSlot) continue;
            long finished = _publishCounters.Read(FinishedCounter(slot));
            long begun = _publishCounters.Read(StartedCounter(slot));
            started += begun;
            publishing |= begun != finished;
        }
        return (started * 2) + (publishing ? 1 : 0);
    }

    // Each writer slot has its own pair of counters, so the engine that takes over a dead slot can close a publish
    // the dead engine left open (started, never finished) without touching live engines' counters.
    // Layout of the 512 shared counters: 0..127 started/finished pairs, 128..191 publishing sequence, 192..255 its
    // epoch, 256..319 oldest running transaction, 511 the highest slot ever used (so readers scan only the slots in use).
    private const int HighestSlotCounter = 511;

    private static int StartedCounter(int slot) => 2 * slot;

    private static int FinishedCounter(int slot) => (2 * slot) + 1;

    /// <summary>The log sequence of the record a slot publishes or last published.</summary>
    private static int PublishingSeqCounter(int slot) => 128 + slot;

    /// <summary>The shared-memory epoch in which the slot's publishing sequence was written (see <see cref="ISharedCounters.Epoch"/>).</summary>
    private static int PublishingEpochCounter(int slot) => 192 + slot;

    /// <summary>Where the slot's oldest running transaction started, plus one (0 = none running).</summary>
    private static int OldestReaderCounter(int slot) => 256 + slot;

    private long EpochStamp
    {
        get
        {
            Span<byte> b = stackalloc byte[16];
            _publishCounters.Epoch.TryWriteBytes(b);
            return BitConverter.ToInt64(b) ^ BitConverter.ToInt64(b[8..]);
        }
    }

    /// <summary>Closes a publish a dead owner of the slot left open (only the slot's current owner may call it).</summary>
    private void ClosePublishesOf(int slot)
    {
        _publishCounters.RaiseTo(HighestSlotCounter, slot);
        _publishCounters.Write(FinishedCounter(slot), _publishCounters.Read(StartedCounter(slot)));
        _publishCounters.Write(OldestReaderCounter(slot), 0); // its transactions died with it
    }

    /// <summary>
    /// Opens (creating when missing) a database folder and recovers it: commit records that were durable but not
    /// fully applied are redone, for this engine's writer slot and for slots whose owner is gone.
    /// </summary>
    public static ValueTask<SopEngine> OpenAsync(SopEngineOptions options, ILogger<SopEngine>? logger = null, CancellationToken cancellationToken = default)
    {
        var validation = new SopEngineOptionsValidator().Validate(null, options);
        if (validation.Failed) throw new InvalidArgumentException("invalid engine options: " + validation.FailureMessage);
        cancellationToken.ThrowIfCancellationRequested();
        var fs = options.FileSystem;
        var layout = new DataFolderLayout(options.DataPath);
        fs.CreateDirectory(layout.Root);
        var header = FolderHeader.LoadOrCreate(fs, layout);
        fs.CreateDirectory(layout.StoresDirectory);
        fs.CreateDirectory(layout.LogsDirectory);
        var (slot, slotLock) = ClaimWriterSlot(fs, layout);
        CommitLog? log = null;
        try
        {
            log = CommitLog.Open(fs, layout, slot, out var records, LogPreallocation(options));
            var engine = new SopEngine(options, layout, header, slot, slotLock, log, (ILogger?)logger ?? NullLogger.Instance);
            engine.Recover(records);
            return StartCoordinatorAsync(engine, cancellationToken);
        }
        catch
        {
            log?.Dispose();
            slotLock.Dispose();
            throw;
        }
    }

    /// <summary>Lets the coordinator join its lock server (and refuse the folder) once the engine has recovered.</summary>
    private static async ValueTask<SopEngine> StartCoordinatorAsync(SopEngine engine, CancellationToken cancellationToken)
    {
        try
        {
            await engine.Coordinator.StartAsync(cancellationToken).ConfigureAwait(false);
            if (engine.Shared is not null)
            {
                await engine.CatchUpAsync(cancellationToken).ConfigureAwait(false); // also stamps what recovery replaced
                engine.Shared.StartLease(engine.OldestReaderShared);
            }
            return engine;
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Size new log segments are zero-filled to: the log's default, or the checkpoint size when smaller, since a
    /// checkpoint starts a new segment and so a segment rarely holds much more.
    /// </summary>
    private static long LogPreallocation(SopEngineOptions options) => Math.Min(CommitLog.DefaultPreallocatedBytes, options.CheckpointLogBytes);

    private static (int Slot, IDisposable Lock) ClaimWriterSlot(IFileSystem fs, DataFolderLayout layout)
    {
        for (int slot = 0; slot < MaxWriterSlots; slot++)
        {
            var held = fs.TryLockExclusive(Path.Combine(layout.LogsDirectory, $"w{slot:D3}.lock"));
            if (held is not null) return (slot, held);
        }
        throw new SopException($"all {MaxWriterSlots} writer slots of {layout.Root} are held by running engines");
    }

    /// <summary>Starts a transaction.</summary>
    /// <param name="mode">What it may do.</param>
    /// <param name="maxTime">How long it may run (default <see cref="SopEngineOptions.TransactionMaxTime"/>).</param>
    /// <remarks>
    /// On a folder shared by several hosts this waits for one lock-server round trip (catching up with other hosts'
    /// commits); prefer <see cref="BeginAsync"/> there.
    /// </remarks>
    public Transaction Begin(TransactionMode mode = TransactionMode.ForWriting, TimeSpan? maxTime = null)
    {
        CheckBegin(mode);
        if (Shared is not null) CatchUp();
        return BeginCore(mode, maxTime);
    }

    /// <summary>Starts a transaction; on a folder shared by several hosts, after catching up with their commits.</summary>
    /// <param name="mode">What it may do.</param>
    /// <param name="maxTime">How long it may run (default <see cref="SopEngineOptions.TransactionMaxTime"/>).</param>
    /// <param name="cancellationToken">Cancels the catch-up.</param>
    public async ValueTask<Transaction> BeginAsync(TransactionMode mode = TransactionMode.ForWriting, TimeSpan? maxTime = null, CancellationToken cancellationToken = default)
    {
        CheckBegin(mode);
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        return BeginCore(mode, maxTime);
    }

    private void CheckBegin(TransactionMode mode)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Enum.IsDefined(mode)) throw new InvalidArgumentException($"unknown transaction mode {(int)mode}");
    }

    private Transaction BeginCore(TransactionMode mode, TimeSpan? maxTime)
    {
        var deadline = Options.Time.GetUtcNow() + (maxTime ?? Options.TransactionMaxTime);
        lock (_active)
        {
            long start = ReaderClock;
            var tx = new Transaction(this, mode, deadline, start);
            _active[tx] = start;
            if (Shared is null) ShareOldestReader();
            return tx;
        }
    }

    /// <summary>Publishes started by all engines on the folder: the clock of the reader watermark (decisions.md 6).</summary>
    private long GlobalPublished => PublishSeq >> 1;

    internal void EndTransaction(Transaction tx)
    {
        lock (_active)
        {
            // a transaction that outlived its engine has nothing left to share (the shared counters are closed)
            if (_active.TryRemove(tx, out _) && !_disposed && Shared is null) ShareOldestReader();
        }
    }

    /// <summary>Tells every engine on the folder where this engine's oldest running transaction started (0 = none).</summary>
    private void ShareOldestReader() =>
        _publishCounters.Write(OldestReaderCounter(WriterSlot), _active.IsEmpty ? 0 : _active.Values.Min() + 1);

    /// <summary>
    /// The folder-wide reader watermark: the start of the oldest transaction running in any engine. Several hosts: the
    /// lowest oldest-reader of all live leases as of the last renewal (a transaction that began since started at or
    /// above it) and this engine's own; nothing may go before the first renewal answered.
    /// </summary>
    private long ReaderWatermark()
    {
        if (Shared is not null) return Shared.ReaderWatermark is { } leases ? Math.Min(leases, OldestReaderShared()) : long.MinValue;
        int slots = (int)Math.Min(_publishCounters.Read(HighestSlotCounter) + 1, MaxWriterSlots);
        long oldest = long.MaxValue;
        for (int slot = 0; slot < slots; slot++)
        {
            long shared = _publishCounters.Read(OldestReaderCounter(slot));
            if (shared > 0) oldest = Math.Min(oldest, shared - 1);
        }
        return oldest;
    }

    /// <summary>Waits out a publish in progress and returns the (even) publish sequence.</summary>
    internal long StablePublishSeq()
    {
        if (_faulted) throw new StorageException("this engine stopped after a storage failure; reopen it (recovery finishes what is durable)");
        var spin = new SpinWait();
        long since = 0;
        while (true)
        {
            long s = PublishSeq;
            if ((s & 1) == 0) return s;
            spin.SpinOnce();
            if (since == 0) since = Environment.TickCount64;
            else if (Environment.TickCount64 - since > StuckPublishMillis)
            {
                // A publish open this long was probably left by an engine that died: take over its slot if it is free.
                RecoverDeadSlots();
                since = 0;
            }
        }
    }

    private const long StuckPublishMillis = 1000;

    /// <summary>Makes everything durable, truncates the commit log and closes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        if (!_faulted)
        {
            try
            {
                // Take over engines that died while this one lived, while their logs can still be cut at what they
                // published (after the last engine is gone, a full redo would have to trust every durable record).
                RecoverDeadSlots();
                await CheckpointAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SopException)
            {
                _logger.LogWarning(e, "final checkpoint failed; the next open recovers from the log");
            }
        }
        lock (_active) _disposed = true;
        if (!_faulted) _publishCounters.Write(OldestReaderCounter(WriterSlot), 0);
        foreach (var s in _stores.Values) s.Dispose();
        _stores.Clear();
        _log.Dispose();
        Coordinator.Dispose();
        _publishCounters.Dispose();
        _slotLock.Dispose();
    }

    private readonly record struct ObsoleteBlob(string Store, Ids.BlobId Blob, ulong Seq, long PublishedAt);
}
