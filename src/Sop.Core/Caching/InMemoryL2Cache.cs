using System.Collections.Concurrent;
using Sop.Ids;

namespace Sop.Caching;

/// <summary>A second-level cache in a dictionary with a time-to-live, for tests of the L2 path and for one-host setups.</summary>
public sealed class InMemoryL2Cache(TimeProvider time, TimeSpan timeToLive) : IL2Cache
{
    private readonly ConcurrentDictionary<(string Store, BlobId Blob), (byte[] Image, DateTimeOffset Expires)> _nodes = new();

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    private long _hits;

    /// <inheritdoc />
    public ValueTask<byte[]?> TryGetNodeAsync(string store, BlobId blob, CancellationToken cancellationToken)
    {
        if (_nodes.TryGetValue((store, blob), out var e))
        {
            if (e.Expires > time.GetUtcNow())
            {
                Interlocked.Increment(ref _hits);
                return ValueTask.FromResult<byte[]?>(e.Image);
            }
            _nodes.TryRemove((store, blob), out _);
        }
        return ValueTask.FromResult<byte[]?>(null);
    }

    /// <inheritdoc />
    public ValueTask PutNodeAsync(string store, BlobId blob, byte[] image, CancellationToken cancellationToken)
    {
        _nodes[(store, blob)] = (image, time.GetUtcNow() + timeToLive);
        return ValueTask.CompletedTask;
    }
}
