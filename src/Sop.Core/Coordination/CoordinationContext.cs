using Microsoft.Extensions.Logging;
using Sop.Storage;

namespace Sop.Coordination;

/// <summary>What a coordinator learns about the engine and folder it serves.</summary>
public sealed class CoordinationContext
{
    /// <summary>The folder's identity: lock scopes use its GUID, and its incarnation tells a restored copy apart.</summary>
    public required FolderHeader Header { get; init; }

    /// <summary>Where the folder's files are.</summary>
    public required DataFolderLayout Layout { get; init; }

    /// <summary>The file system under the folder.</summary>
    public required IFileSystem FileSystem { get; init; }

    /// <summary>The engine's clock.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>The engine's logger.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>
    /// Redoes every durable commit record that dead engines left unapplied (taking over their writer slots). A
    /// coordinator that lost its lock state (a lock server restart) runs it before it grants locks again
    /// (decisions.md 13).
    /// </summary>
    public required Func<CancellationToken, ValueTask> RecoverDeadEnginesAsync { get; init; }

    /// <summary>
    /// Tells the engine that the lock server lost its state (a restart): the engine checkpoints at once, so that what
    /// other hosts could only see through the lock server is in the files when they read them again (decisions.md 17).
    /// </summary>
    public Action? SharedStateLost { get; init; }
}
