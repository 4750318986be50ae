using System.Collections.Concurrent;
using Sop.Errors;
using Sop.Ids;
using Sop.Storage;

namespace Sop.Blobs;

/// <summary>Blobs in a dictionary: for benchmarks that isolate the tree from the disk, and for seam conformance tests.</summary>
public sealed class InMemoryBlobStore : IBlobStore
{
    private readonly ConcurrentDictionary<(string Store, BlobId Id), (EnvelopeKind Kind, byte[] Payload)> _blobs = new();

    /// <inheritdoc />
    public void Write(string store, BlobId id, EnvelopeKind kind, ReadOnlySpan<byte> payload) => _blobs[(store, id)] = (kind, payload.ToArray());

    /// <inheritdoc />
    public byte[]? TryRead(string store, BlobId id, EnvelopeKind kind)
    {
        if (!_blobs.TryGetValue((store, id), out var b)) return null;
        if (b.Kind != kind) throw new DataCorruptionException($"blob {id} of store '{store}' holds a {b.Kind} where a {kind} was expected");
        return (byte[])b.Payload.Clone(); // callers own what they read; the stored blob stays immutable
    }

    /// <inheritdoc />
    public bool IsIntact(string store, BlobId id, EnvelopeKind kind) => _blobs.TryGetValue((store, id), out var b) && b.Kind == kind;

    /// <inheritdoc />
    public void Delete(string store, BlobId id) => _blobs.TryRemove((store, id), out _);

    /// <inheritdoc />
    public void DeleteStore(string store)
    {
        foreach (var key in _blobs.Keys)
            if (key.Store == store) _blobs.TryRemove(key, out _);
    }
}
