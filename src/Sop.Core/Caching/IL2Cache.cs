using Sop.Ids;

namespace Sop.Caching;

/// <summary>
/// The shared second-level cache of node images by physical blob id (Redis when clustered; none standalone, where
/// every engine reads the same local folder through the OS page cache). Like L1 it can never be stale: a blob id is
/// written once. A cache that fails answers "miss"; it never makes a read fail.
/// </summary>
public interface IL2Cache
{
    /// <summary>The cached image of a node blob, or null.</summary>
    ValueTask<byte[]?> TryGetNodeAsync(string store, BlobId blob, CancellationToken cancellationToken);

    /// <summary>Caches a node image (best effort).</summary>
    ValueTask PutNodeAsync(string store, BlobId blob, byte[] image, CancellationToken cancellationToken);
}
