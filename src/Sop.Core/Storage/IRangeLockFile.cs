namespace Sop.Storage;

/// <summary>
/// Exclusive one-byte locks on offsets of a lock file, shared by every process on the host (open-file-description
/// locks on Linux). Locks are owned by this object: two objects exclude each other even inside one process, and the
/// kernel frees a dead process's locks. Locking an offset this object already holds succeeds again (callers count).
/// </summary>
public interface IRangeLockFile : IDisposable
{
    /// <summary>Takes the lock at <paramref name="offset"/> without waiting; false when another holder has it.</summary>
    bool TryLock(long offset);

    /// <summary>Releases the lock at <paramref name="offset"/>.</summary>
    void Unlock(long offset);

    /// <summary>True when a holder other than this object has the lock at <paramref name="offset"/>.</summary>
    bool IsLockedByOther(long offset);
}
