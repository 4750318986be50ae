using Sop.Bench.Stores;

namespace Sop.Bench.Comparison;

/// <summary>
/// The keys and values of every comparison workload, built from the run's seed before anything is measured (and
/// before the baseline working set is read), identical for every store.
/// </summary>
internal sealed class WorkloadData
{
    public WorkloadData(BenchContext ctx)
    {
        Populated = new BenchKeys(ctx.PopulatedKeys());
        PopulatedValues = ctx.Values(ctx.N, salt: 1);
        ReadOrder = new BenchKeys(ctx.ShuffledKeys(ctx.N, salt: 2));
        NewKeys = new BenchKeys(ctx.ShuffledKeys(ctx.M, salt: 5));
        NewValues = ctx.Values(ctx.M, salt: 5);

        // W6: keys 0..preload+M-1 shuffled; the first N/10 are pre-loaded, the other M are the writers' new keys, so
        // both spread over the same key range and writers mostly hit different leaves.
        int preload = ctx.N / 10;
        string[] all = ctx.ShuffledKeys(preload + ctx.M, salt: 6);
        PreloadKeys = new BenchKeys(all[..preload]);
        PreloadValues = ctx.Values(preload, salt: 60);
        ConcurrentKeys = new BenchKeys(all[preload..]);
        ConcurrentValues = ctx.Values(ctx.M, salt: 6);

        var random = new Random(ctx.Args.Seed + 7);
        UpdateTargets = new int[ctx.M];
        for (int i = 0; i < UpdateTargets.Length; i++) UpdateTargets[i] = random.Next(ctx.N);
        UpdateValues = ctx.Values(ctx.M, salt: 7);
    }

    /// <summary>W1's N keys in insertion order (also the store W7 updates).</summary>
    public BenchKeys Populated { get; }

    public byte[][] PopulatedValues { get; }

    /// <summary>W2's order: the same N keys shuffled another way.</summary>
    public BenchKeys ReadOrder { get; }

    /// <summary>W5's M new keys.</summary>
    public BenchKeys NewKeys { get; }

    public byte[][] NewValues { get; }

    public BenchKeys PreloadKeys { get; }

    public byte[][] PreloadValues { get; }

    /// <summary>W6's M new keys.</summary>
    public BenchKeys ConcurrentKeys { get; }

    public byte[][] ConcurrentValues { get; }

    /// <summary>W7: the index in <see cref="Populated"/> of the key each update replaces.</summary>
    public int[] UpdateTargets { get; }

    public byte[][] UpdateValues { get; }
}
