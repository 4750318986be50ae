using Sop.Ids;

namespace Sop.Caching;

/// <summary>No second-level cache (standalone mode).</summary>
public sealed class NullL2Cache : IL2Cache
{
    /// <summary>The shared instance.</summary>
    public static readonly NullL2Cache Instance = new();

    /// <inheritdoc />
    public ValueTask<byte[]?> TryGetNodeAsync(string store, BlobId blob, CancellationToken cancellationToken) => ValueTask.FromResult<byte[]?>(null);

    /// <inheritdoc />
    public ValueTask PutNodeAsync(string store, BlobId blob, byte[] image, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
