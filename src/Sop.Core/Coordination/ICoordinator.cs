namespace Sop.Coordination;

/// <summary>
/// Short-lived locks ("scents") that committing transactions take on the nodes they change, shared by every engine on
/// the folder. Standalone: <see cref="FileLockCoordinator"/> (kernel byte-range locks, freed when a process dies);
/// clustered: Redis. Both pass one conformance suite.
/// </summary>
public interface ICoordinator : IDisposable
{
    /// <summary>
    /// Takes every key for <paramref name="owner"/>, or none: returns false (holding nothing) when any key is held by
    /// another owner. Keys must be sorted. <paramref name="ttl"/> bounds how long a lock outlives a vanished owner
    /// where the medium needs it (Redis); kernel locks die with their process.
    /// </summary>
    ValueTask<bool> TryLockAsync(IReadOnlyList<LockKey> keys, Guid owner, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Releases the keys <paramref name="owner"/> holds; keys it does not hold are left alone.</summary>
    ValueTask UnlockAsync(IReadOnlyList<LockKey> keys, Guid owner, CancellationToken cancellationToken);

    /// <summary>
    /// Waits (at most <paramref name="max"/>) until one of the keys held by another owner may have been released, so a
    /// committer that lost a lock race retries promptly instead of sleeping a random time. Returns at once when none is held.
    /// </summary>
    ValueTask WaitForReleaseAsync(IReadOnlyList<LockKey> keys, Guid owner, TimeSpan max, CancellationToken cancellationToken);

    /// <summary>True when a key is held by an owner other than <paramref name="owner"/>.</summary>
    ValueTask<bool> IsLockedByOtherAsync(LockKey key, Guid owner, CancellationToken cancellationToken);
}
