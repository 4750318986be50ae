namespace Sop.Coordination;

/// <summary>
/// Short-lived locks ("scents") that committing transactions take on the nodes they change, shared by every engine on
/// the folder. Standalone: <see cref="FileLockCoordinator"/> (kernel byte-range locks, freed when a process dies);
/// clustered: Redis (Sop.Redis), where a lock lives <see cref="LockLifetime"/> past its last renewal. Both pass one
/// conformance suite. A small commit makes at most three calls: <see cref="TryLockAsync"/>, <see cref="ValidateAsync"/>
/// (only when it read a node it does not write) and <see cref="UnlockAsync"/> (one network round trip each on Redis).
/// </summary>
public interface ICoordinator : IDisposable
{
    /// <summary>
    /// How long a lock outlives the last time its owner took, validated or extended it, when the owner vanishes
    /// (Redis TTL); null when locks live exactly as long as their owner's process (kernel locks). A committer whose
    /// locks may have run out writes no commit record (the fencing of decisions.md 11).
    /// </summary>
    TimeSpan? LockLifetime { get; }

    /// <summary>
    /// Called once when the engine is open and has recovered its folder, before any lock is taken: a coordinator joins
    /// its lock server here and may refuse the folder (e.g. <see cref="Errors.FolderIdentityConflictException"/>).
    /// </summary>
    ValueTask StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes every key for <paramref name="owner"/>, or none: returns false (holding nothing) when any key is held by
    /// another owner. Keys must be sorted, so lockers never deadlock.
    /// </summary>
    ValueTask<bool> TryLockAsync(IReadOnlyList<LockKey> keys, Guid owner, CancellationToken cancellationToken);

    /// <summary>
    /// Point B's view of the locks, in one call: true when <paramref name="owner"/> still holds every key of
    /// <paramref name="held"/> (whose lifetime starts anew) and no key of <paramref name="readOnly"/> is held by another
    /// owner. False when a lock was lost (expired, or the lock server restarted) or a read node is being committed.
    /// </summary>
    ValueTask<bool> ValidateAsync(IReadOnlyList<LockKey> held, IReadOnlyList<LockKey> readOnly, Guid owner, CancellationToken cancellationToken);

    /// <summary>
    /// Releases the keys <paramref name="owner"/> holds; keys it does not hold are left alone. Never throws for an
    /// unreachable lock server (the locks then run out by themselves): it follows a commit that already happened. A
    /// networked coordinator may return before the release lands (this engine's next requests queue behind it; other
    /// engines see it a round trip later and wait with <see cref="WaitForReleaseAsync"/>).
    /// </summary>
    ValueTask UnlockAsync(IReadOnlyList<LockKey> keys, Guid owner, CancellationToken cancellationToken);

    /// <summary>
    /// Waits (at most <paramref name="max"/>) until one of the keys held by another owner may have been released, so a
    /// committer that lost a lock race retries promptly instead of sleeping a random time. Returns at once when none is held.
    /// </summary>
    ValueTask WaitForReleaseAsync(IReadOnlyList<LockKey> keys, Guid owner, TimeSpan max, CancellationToken cancellationToken);
}
