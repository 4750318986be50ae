namespace Sop.Bench.Stores;

/// <summary>The stores of the comparison, ours first; <c>--stores</c> picks some, <c>--redis</c> adds the clustered engine.</summary>
internal static class StoreCatalog
{
    public static IReadOnlySet<string> KnownIds { get; } =
        new HashSet<string>(StringComparer.Ordinal) { "sop", "sqlite", "rocksdb", "lmdb", "litedb", "zonetree", "sop-redis" };

    public static IReadOnlyList<IStoreKind> Select(BenchArgs args)
    {
        IStoreKind[] all =
        [
            new SopStoreKind(args.Slot, args.SlotForDurable),
            new SqliteStoreKind(),
            new RocksDbStoreKind(),
            new LmdbStoreKind(),
            new LiteDbStoreKind(),
            new ZoneTreeStoreKind(),
        ];
        var selected = all.Where(k => args.Stores is null || args.Stores.Contains(k.Id)).ToList();
        if (args.Redis is not null && (args.Stores is null || args.Stores.Contains("sop-redis")))
            selected.Insert(1, new SopStoreKind(args.Slot, args.SlotForDurable, args.Redis));
        return selected;
    }

    /// <summary>The kind with this id (the child process gets only the id).</summary>
    public static IStoreKind Find(BenchArgs args, string id) =>
        Select(args with { Stores = null }).FirstOrDefault(k => k.Id == id)
        ?? throw new ArgumentException($"unknown store '{id}' (or sop-redis without --redis)");
}
