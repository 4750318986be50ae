namespace Sop.Log;

/// <summary>A commit record read back from the log: its sequence number and payload.</summary>
/// <param name="Seq">The record's sequence number in its writer slot's log.</param>
/// <param name="Payload">The record's bytes (see <see cref="CommitRecord"/>).</param>
public sealed record LoggedRecord(ulong Seq, byte[] Payload);
