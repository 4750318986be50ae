using Sop.Caching;
using Sop.Ids;
using Sop.Redis.Connection;
using StackExchange.Redis;

namespace Sop.Redis.Caching;

/// <summary>
/// Node images in Redis by physical blob id (a blob id is written once, so an entry is never stale; the TTL only bounds
/// memory). Any failure is a miss, and after one the cache is skipped for a while, so a Redis outage makes reads go
/// to the folder (slower, still correct) instead of waiting for timeouts.
/// </summary>
internal sealed class RedisL2Cache(SharedRedisConnection connection, TimeProvider time) : IL2Cache
{
    private long _skipUntil;

    /// <inheritdoc />
    public async ValueTask<byte[]?> TryGetNodeAsync(string store, BlobId blob, CancellationToken cancellationToken)
    {
        if (connection.Database is not { } db || Skipping) return null;
        try
        {
            return (byte[]?)await db.StringGetAsync(Key(blob)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            BackOff();
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask PutNodeAsync(string store, BlobId blob, byte[] image, CancellationToken cancellationToken)
    {
        if (connection.Database is not { } db || Skipping) return;
        try
        {
            await db.StringSetAsync(Key(blob), image, connection.Options.NodeCacheTimeToLive).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            BackOff();
        }
    }

    private bool Skipping => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _skipUntil);

    private void BackOff() => Interlocked.Exchange(ref _skipUntil, (time.GetUtcNow() + connection.Options.NodeCacheOutageBackoff).UtcTicks);

    private RedisKey Key(BlobId blob) => $"{connection.Options.KeyPrefix}:b:{blob.Value:N}";
}
