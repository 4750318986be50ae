namespace Sop.Storage;

/// <summary>
/// The file-system seam under the blob store, the registry and the commit log. Paths are absolute or relative to
/// the implementation's root; <c>/</c> separates folders.
/// </summary>
/// <remarks>
/// Durability contract (what a power loss keeps): data written to a file survives only after
/// <see cref="IRandomAccessFile.Flush"/> on it or <see cref="SyncAll"/>, or after
/// <see cref="IRandomAccessFile.FlushData"/> for bytes inside the length an earlier flush made durable; a length
/// change needs one of the first two. A create, rename or delete survives only
/// after <see cref="SyncDirectory"/> of its folder or <see cref="SyncAll"/>. A crash of the process alone (no power
/// loss) keeps everything written. Implementations are thread-safe.
/// </remarks>
public interface IFileSystem
{
    /// <summary>True when the file exists.</summary>
    bool FileExists(string path);

    /// <summary>True when the folder exists.</summary>
    bool DirectoryExists(string path);

    /// <summary>Creates the folder and its missing parents.</summary>
    void CreateDirectory(string path);

    /// <summary>Opens a file for positioned reads and writes.</summary>
    IRandomAccessFile Open(string path, FileOpenMode mode);

    /// <summary>Reads a whole file, or returns null when it does not exist.</summary>
    byte[]? TryReadAllBytes(string path);

    /// <summary>Creates or replaces a file with the given bytes (not durable until a sync).</summary>
    void WriteAllBytes(string path, ReadOnlySpan<byte> bytes);

    /// <summary>When the file was last written (UTC), or null when it does not exist.</summary>
    DateTimeOffset? GetLastWriteTime(string path);

    /// <summary>Deletes a file; no error when it is already gone.</summary>
    void DeleteFile(string path);

    /// <summary>Deletes a folder with everything under it; no error when it is already gone.</summary>
    void DeleteDirectory(string path);

    /// <summary>Renames a file, replacing the target if it exists (atomic on POSIX file systems).</summary>
    void Move(string from, string to);

    /// <summary>Names (not paths) of the files directly in a folder; empty when the folder does not exist.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    /// <summary>Names (not paths) of the folders directly in a folder; empty when the folder does not exist.</summary>
    IReadOnlyList<string> ListDirectories(string directory);

    /// <summary>
    /// Takes an exclusive lock on a lock file (created when missing), or returns null when someone else holds it.
    /// The kernel drops it when the process dies; two engines in one process exclude each other too.
    /// </summary>
    IDisposable? TryLockExclusive(string path);

    /// <summary>Opens (creating when missing) a file used only for <see cref="IRangeLockFile"/> byte-range locks.</summary>
    IRangeLockFile OpenRangeLocks(string path);

    /// <summary>Opens (creating when missing) counters shared by every process that opens the same path.</summary>
    ISharedCounters OpenSharedCounters(string path);

    /// <summary>Makes the folder's entries (creates, renames, deletes in it) durable.</summary>
    void SyncDirectory(string directory);

    /// <summary>Makes everything written so far on the file system holding <paramref name="anyPath"/> durable (syncfs).</summary>
    void SyncAll(string anyPath);
}
