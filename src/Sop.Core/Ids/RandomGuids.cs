using System.Security.Cryptography;

namespace Sop.Ids;

/// <summary>
/// Random (version 4) GUIDs for the ids made on every commit and transaction (blob ids, node ids, transaction
/// ids), cut from a per-thread pool of cryptographically random bytes. <see cref="Guid.NewGuid"/> reads 16 bytes from
/// the kernel per call here, a system call per id; the pool makes one per 64 ids. Blob and node ids must be
/// unique across every process and host on a folder, so the bytes stay cryptographically random.
/// </summary>
internal static class RandomGuids
{
    private const int PoolBytes = 1024;

    [ThreadStatic]
    private static byte[]? t_pool;

    [ThreadStatic]
    private static int t_used;

    public static Guid New()
    {
        var pool = t_pool;
        if (pool is null || t_used + 16 > PoolBytes)
        {
            pool = t_pool ??= new byte[PoolBytes];
            RandomNumberGenerator.Fill(pool);
            t_used = 0;
        }
        var bytes = pool.AsSpan(t_used, 16);
        t_used += 16;
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4: the high nibble of the third field (little-endian)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        var id = new Guid(bytes);
        bytes.Clear(); // a used id does not stay in memory beside the next ones
        return id;
    }
}
