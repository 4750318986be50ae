namespace Sop.Log;

/// <summary>Appending to the commit log failed. After a failed write the log is intact and usable; after a failed fsync it is not known what reached the disk.</summary>
internal sealed class LogAppendException(bool durabilityUnknown, IOException inner) : IOException(inner.Message, inner)
{
    /// <summary>True when the fsync failed: only a reopen (recovery from what is on disk) can tell what survived.</summary>
    public bool DurabilityUnknown { get; } = durabilityUnknown;
}
