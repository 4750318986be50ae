namespace Sop.Coordination;

/// <summary>
/// The lock server's record of published commits, for engines on several hosts sharing one folder (decisions.md 17).
/// A host's page cache may hold stale pages of another host's registry writes, so every commit is published here first,
/// atomically with a folder-wide sequence, and engines read node handles changed in this generation from here, never
/// from the file. A coordinator implements this only when it is configured for several hosts; the engine then asks it
/// (as <c>Coordinator as ISharedPublishes</c>).
/// </summary>
/// <remarks>
/// Round trips of a small commit stay at three: <see cref="ICoordinator.TryLockAsync"/>, <see cref="ValidateAndCatchUpAsync"/>
/// and <see cref="PublishAndUnlock"/>. A transaction's start costs one more (<see cref="CatchUpAsync"/>).
/// </remarks>
public interface ISharedPublishes
{
    /// <summary>
    /// Everything published since <paramref name="seen"/> (a sequence of <paramref name="generation"/>); the whole
    /// current state instead when the feed no longer reaches back that far, when <paramref name="seen"/> is negative or
    /// when the generation changed (the lock server lost its state). <paramref name="floor"/> raises the new
    /// generation's sequence to at least that value, so sequences an engine handed out keep growing.
    /// </summary>
    ValueTask<SharedChanges> CatchUpAsync(string? generation, long seen, long floor, CancellationToken cancellationToken);

    /// <summary><see cref="CatchUpAsync"/> for a caller that must block (it does not need the thread pool to complete).</summary>
    SharedChanges CatchUp(string? generation, long seen, long floor);

    /// <summary>
    /// <see cref="ICoordinator.ValidateAsync"/> and <see cref="CatchUpAsync"/> in one call (point B of a commit).
    /// </summary>
    ValueTask<(bool Valid, SharedChanges Changes)> ValidateAndCatchUpAsync(IReadOnlyList<LockKey> held, IReadOnlyList<LockKey> readOnly, Guid owner,
        string? generation, long seen, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes a durable commit and releases its locks in one atomic step, under the generation its locks were
    /// taken in (never waiting for a new one). Blocking: the engine publishes its commits one after the other, in log
    /// order, with the client's synchronous calls.
    /// </summary>
    SharedPublishOutcome PublishAndUnlock(SharedPublish publish, IReadOnlyList<LockKey> locks, Guid owner);

    /// <summary>
    /// The current generation (null while the lock server has none, e.g. right after a restart) and the highest
    /// commit-log sequence each writer slot published in it: a dead engine's records of that generation past its
    /// slot's mark were never visible to anyone and are dropped, not redone.
    /// </summary>
    /// <remarks>Blocking: recovery is synchronous.</remarks>
    SharedMarks PublishedThrough();

    /// <summary>
    /// Starts this engine's liveness lease (renewed about once a second), which carries <paramref name="oldestReader"/>:
    /// the folder-wide sequence at which the engine's oldest running transaction started, or the engine's current
    /// sequence when none runs.
    /// </summary>
    void StartLease(Func<long> oldestReader);

    /// <summary>
    /// The folder-wide reader watermark as of the last lease renewal: no live engine runs a transaction that started
    /// before it, or null before the first renewal answered.
    /// </summary>
    long? ReaderWatermark { get; }
}

/// <summary>What <see cref="ISharedPublishes.CatchUpAsync"/> returns.</summary>
public sealed class SharedChanges
{
    /// <summary>The generation (one per lock-server state; it changes when the lock server lost its keys).</summary>
    public required string Generation { get; init; }

    /// <summary>The folder-wide sequence these changes bring the caller to.</summary>
    public required long Seq { get; init; }

    /// <summary>
    /// True when this is the whole current state (<see cref="Latest"/> and <see cref="Dropped"/>) rather than the
    /// <see cref="Entries"/> that followed the caller's sequence.
    /// </summary>
    public bool Whole { get; init; }

    /// <summary>Published entries (each an encoded <see cref="SharedPublish.Entry"/>), oldest first.</summary>
    public IReadOnlyList<byte[]> Entries { get; init; } = [];

    /// <summary>For <see cref="Whole"/>: every field's latest value (<see cref="SharedPublish.Latest"/> of all commits).</summary>
    public IReadOnlyList<KeyValuePair<byte[], byte[]>> Latest { get; init; } = [];

    /// <summary>For <see cref="Whole"/>: every dropped store id.</summary>
    public IReadOnlyList<byte[]> Dropped { get; init; } = [];

    /// <summary>Nothing new.</summary>
    public bool IsEmpty => !Whole && Entries.Count == 0;
}

/// <summary>What became of a publish (<see cref="ISharedPublishes.PublishAndUnlock"/>).</summary>
public enum SharedPublishResult
{
    /// <summary>Published now, as <see cref="SharedPublishOutcome.Seq"/>.</summary>
    Published,

    /// <summary>
    /// A retried call whose first attempt had landed (the slot's mark is already at this commit): published, under a
    /// sequence that is not known here.
    /// </summary>
    AlreadyPublished,

    /// <summary>
    /// The lock server lost its state since the locks were taken: nothing was published; the commit is durable and the
    /// hosts learn it from the files after the generation change (see <see cref="CoordinationContext.SharedStateLost"/>).
    /// </summary>
    GenerationChanged,

    /// <summary>
    /// Refused: the commit's locks ran out before the publish arrived and another committer holds one, or went on
    /// from the same nodes. Nothing was published, and the lock server recorded the commit as refused, so recovery
    /// never redoes it.
    /// </summary>
    Refused,
}

/// <summary>What recovery learns from <see cref="ISharedPublishes.PublishedThrough"/>.</summary>
/// <param name="Generation">The lock server's current generation (null while it has none).</param>
/// <param name="Marks">Per writer slot, the highest commit-log sequence published in that generation.</param>
/// <param name="Refused">Commits (writer slot, log sequence) the lock server refused in that generation.</param>
public sealed record SharedMarks(string? Generation, IReadOnlyDictionary<int, ulong> Marks, IReadOnlySet<(int Slot, ulong Seq)> Refused);

/// <summary>A publish's result and, when <see cref="SharedPublishResult.Published"/>, the commit's folder-wide sequence.</summary>
public readonly record struct SharedPublishOutcome(SharedPublishResult Result, long Seq = -1);

/// <summary>One commit as the lock server keeps it.</summary>
public sealed class SharedPublish
{
    /// <summary>The generation the commit's locks were taken in (the one it validated against).</summary>
    public required string Generation { get; init; }

    /// <summary>The committing engine's writer slot.</summary>
    public required int Slot { get; init; }

    /// <summary>The commit record's sequence in that slot's log.</summary>
    public required ulong LogSeq { get; init; }

    /// <summary>What other engines apply: the changed handles, count slots and dropped stores, encoded by the engine.</summary>
    public required byte[] Entry { get; init; }

    /// <summary>
    /// The latest value per field (a node handle, a count slot), kept for the generation so an engine that starts
    /// late or falls behind the feed can load the whole state. Keys and values are opaque to the lock server.
    /// </summary>
    public required IReadOnlyList<KeyValuePair<byte[], byte[]>> Latest { get; init; }

    /// <summary>Store ids this commit dropped (their fields are dead).</summary>
    public IReadOnlyList<byte[]> Dropped { get; init; } = [];
}
