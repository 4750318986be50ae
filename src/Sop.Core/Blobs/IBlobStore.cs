using Sop.Ids;
using Sop.Storage;

namespace Sop.Blobs;

/// <summary>Immutable blobs (node images, large values) by store and physical id.</summary>
/// <remarks>
/// A blob is written once under a fresh id and never changed. Writes are not durable on their own: the commit
/// record carries every blob's bytes, and the checkpoint makes blob files durable (decisions 1-2).
/// </remarks>
public interface IBlobStore
{
    /// <summary>Writes a blob (creating its folders). Overwrites a torn earlier copy of the same id during recovery.</summary>
    void Write(string store, BlobId id, EnvelopeKind kind, ReadOnlySpan<byte> payload);

    /// <summary>Reads a blob's payload; null when it does not exist. Throws <see cref="Errors.DataCorruptionException"/> when it fails its checksum.</summary>
    byte[]? TryRead(string store, BlobId id, EnvelopeKind kind);

    /// <summary>True when the blob exists and passes its checksum.</summary>
    bool IsIntact(string store, BlobId id, EnvelopeKind kind);

    /// <summary>Deletes a blob; no error when it is gone.</summary>
    void Delete(string store, BlobId id);

    /// <summary>Deletes every blob of a store.</summary>
    void DeleteStore(string store);
}
