using System.Globalization;

namespace Sop.Bench;

/// <summary>Command-line settings of one benchmark run.</summary>
internal sealed record BenchArgs
{
    public const string Usage =
        """
        usage: Sop.Bench [--quick] [--n N] [--m M] [--stores LIST] [--runs R] [--machine NAME] [--results DIR] [--in-process]
                         [--engine] [--slot S] [--durable-slot S] [--dir PATH] [--keep] [--seed X] [--only W1,W5,...]
                         [--no-warmup] [--redis HOST:PORT] [--multi-host]
        Default: the comparison, W1-W7 for SopOrleans and every peer (one child process per store and run), one table
        written to bench/results/<yyyy-MM-dd>-<machine>.md. --engine: the engine-only suite with fsync counts instead.
          --quick          N = 10,000 and M = 200 (about a minute for all stores on 2 cores)
          --stores LIST    stores of the comparison (default all): sop,sqlite,rocksdb,lmdb,litedb,zonetree
                           (sop-redis is added by --redis)
          --runs R         comparison runs, median per cell (default 3)
          --machine NAME   machine name in the results file name (default: the host name)
          --results DIR    folder of the results file (default: bench/results of this repository)
          --in-process     run every store in this process (no peak working set; used by the smoke test)
          --engine         the engine-only suite (FSYNC, W1-W7, W6 with 1/4/16 writers, fsyncs per commit)
          --n N            items for the bulk, read and scan workloads (default 100,000)
          --m M            transactions for the durable-commit workloads and the fsync limit (default 2,000)
          --slot S         slot length (items per node) of the W1-W4 store (default 500)
          --durable-slot S slot length of the stores of W5, W6 and W7 (default 64: a small durable commit
                           rewrites a whole node, so a small node keeps it cheap)
          --dir PATH       where data folders go (default: a fresh temp folder, deleted at the end)
          --keep           keep the data folders
          --seed X         seed of the key order and the values (default 42)
          --only LIST      run only these workloads (e.g. W1,W2 or FSYNC,W5,W7); W6 = W6A,W6B,W6C
                           (1, 4 and 16 writers)
          --no-warmup      skip the small unmeasured warm-up pass (JIT)
          --redis CONFIG   comparison: adds SopOrleans coordinated by this Redis for W5-W7 (store sop-redis);
                           --engine: also run W6 in clustered mode against this Redis (W6R = W6RA,W6RB,W6RC: 1, 4 and
                           16 writers, with Redis round trips per commit); start one with
                           redis-server --port 6390 --save '' --appendonly no
          --multi-host     the Redis rows run in multi-host mode (decisions.md 17: commits published through Redis,
                           one more round trip per transaction start)
        """;

    public int N { get; init; } = 100_000;

    public int M { get; init; } = 2_000;

    public int Slot { get; init; } = 500;

    /// <summary>Default slot length of the durable rows (W5, W6, W7).</summary>
    public const int DefaultDurableSlot = 64;

    public int? DurableSlot { get; init; }

    public string? Dir { get; init; }

    public bool Keep { get; init; }

    public int Seed { get; init; } = 42;

    public bool Quick { get; init; }

    public bool Warmup { get; init; } = true;

    public IReadOnlySet<string>? Only { get; init; }

    /// <summary>The Redis of the clustered rows (none: they do not run).</summary>
    public string? Redis { get; init; }

    /// <summary>The clustered rows run in multi-host mode.</summary>
    public bool MultiHost { get; init; }

    /// <summary>Run the engine-only suite instead of the comparison.</summary>
    public bool Engine { get; init; }

    /// <summary>Store ids of the comparison (null: all).</summary>
    public IReadOnlySet<string>? Stores { get; init; }

    /// <summary>Comparison runs per store (each a fresh child process); the table shows the median.</summary>
    public int RunCount { get; init; } = 3;

    public string? Machine { get; init; }

    /// <summary>Folder of the results file (null: bench/results of the repository around the working folder).</summary>
    public string? Results { get; init; }

    public bool InProcess { get; init; }

    /// <summary>Internal: this process is the child that measures this one store.</summary>
    public string? Child { get; init; }

    /// <summary>Internal: where the child writes its report (JSON).</summary>
    public string? Report { get; init; }

    public int SlotForDurable => DurableSlot ?? DefaultDurableSlot;

    /// <summary>
    /// True when <c>--only</c> selects the workload; "W6" selects all W6 rows, "W6R" the clustered ones. Clustered
    /// rows need <c>--redis</c>.
    /// </summary>
    public bool Runs(string workload)
    {
        bool clustered = workload.StartsWith("W6R", StringComparison.Ordinal);
        if (clustered && Redis is null) return false;
        return Only is null || Only.Contains(workload) || (workload.StartsWith("W6", StringComparison.Ordinal) && Only.Contains("W6"))
            || (clustered && Only.Contains("W6R"));
    }

    /// <summary>Parses the arguments; returns null and writes the reason to <paramref name="error"/> when they are bad.</summary>
    public static BenchArgs? Parse(string[] args, out string? error)
    {
        error = null;
        var result = new BenchArgs();
        int? n = null, m = null, runs = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            switch (a)
            {
                case "--quick":
                    result = result with { Quick = true };
                    break;
                case "--keep":
                    result = result with { Keep = true };
                    break;
                case "--no-warmup":
                    result = result with { Warmup = false };
                    break;
                case "--multi-host":
                    result = result with { MultiHost = true };
                    break;
                case "--engine":
                    result = result with { Engine = true };
                    break;
                case "--in-process":
                    result = result with { InProcess = true };
                    break;
                case "--runs":
                    if (!TryInt(args, ++i, out int r, out error)) return null;
                    if (r <= 0)
                    {
                        error = "--runs must be positive";
                        return null;
                    }
                    runs = r;
                    break;
                case "--stores":
                    if (++i >= args.Length)
                    {
                        error = "--stores needs a list such as sop,sqlite";
                        return null;
                    }
                    result = result with
                    {
                        Stores = args[i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal),
                    };
                    break;
                case "--machine" or "--results" or "--child" or "--report":
                    if (++i >= args.Length)
                    {
                        error = $"{a} needs a value";
                        return null;
                    }
                    result = a switch
                    {
                        "--machine" => result with { Machine = args[i] },
                        "--results" => result with { Results = args[i] },
                        "--child" => result with { Child = args[i] },
                        _ => result with { Report = args[i] },
                    };
                    break;
                case "--n" or "--m" or "--slot" or "--durable-slot" or "--seed":
                    if (!TryInt(args, ++i, out int v, out error)) return null;
                    if (v <= 0 && a != "--seed")
                    {
                        error = $"{a} must be positive";
                        return null;
                    }
                    if (a == "--n") n = v;
                    else if (a == "--m") m = v;
                    else if (a == "--slot") result = result with { Slot = v };
                    else if (a == "--durable-slot") result = result with { DurableSlot = v };
                    else result = result with { Seed = v };
                    break;
                case "--dir":
                    if (++i >= args.Length)
                    {
                        error = "--dir needs a path";
                        return null;
                    }
                    result = result with { Dir = args[i] };
                    break;
                case "--redis":
                    if (++i >= args.Length)
                    {
                        error = "--redis needs a Redis configuration such as 127.0.0.1:6390";
                        return null;
                    }
                    result = result with { Redis = args[i] };
                    break;
                case "--only":
                    if (++i >= args.Length)
                    {
                        error = "--only needs a list such as W1,W5";
                        return null;
                    }
                    result = result with
                    {
                        Only = args[i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(w => w.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal),
                    };
                    break;
                case "-h" or "--help":
                    error = "";
                    return null;
                default:
                    error = $"unknown argument '{a}'";
                    return null;
            }
        }
        var known = Workloads.Suite.All.Select(w => w.Id).Append("W6").Append("W6R").ToHashSet(StringComparer.Ordinal);
        if (result.Only?.FirstOrDefault(w => !known.Contains(w)) is { } unknown)
        {
            error = $"unknown workload '{unknown}' in --only (known: {string.Join(",", known)})";
            return null;
        }
        if (result.Stores?.FirstOrDefault(id => !Sop.Bench.Stores.StoreCatalog.KnownIds.Contains(id)) is { } unknownStore)
        {
            error = $"unknown store '{unknownStore}' in --stores (known: {string.Join(",", Sop.Bench.Stores.StoreCatalog.KnownIds)})";
            return null;
        }
        foreach (int slot in new[] { result.Slot, result.SlotForDurable })
        {
            if (slot is < SopDefaults.MinSlotLength or > SopDefaults.MaxSlotLength)
            {
                error = $"a slot length must be {SopDefaults.MinSlotLength}..{SopDefaults.MaxSlotLength} (was {slot})";
                return null;
            }
        }
        return result with
        {
            N = n ?? (result.Quick ? 10_000 : 100_000),
            M = m ?? (result.Quick ? 200 : 2_000),
            RunCount = runs ?? 3,
        };
    }

    /// <summary>The arguments of the child process that measures one store with these settings.</summary>
    public IEnumerable<string> ChildArguments(string store, string dir, string report)
    {
        yield return "--child";
        yield return store;
        yield return "--report";
        yield return report;
        yield return "--dir";
        yield return dir;
        foreach (var (name, value) in new[] { ("--n", N), ("--m", M), ("--slot", Slot), ("--durable-slot", SlotForDurable), ("--seed", Seed) })
        {
            yield return name;
            yield return value.ToString(CultureInfo.InvariantCulture);
        }
        if (!Warmup) yield return "--no-warmup";
        if (Redis is not null)
        {
            yield return "--redis";
            yield return Redis;
        }
        if (MultiHost) yield return "--multi-host";
        if (Only is not null)
        {
            yield return "--only";
            yield return string.Join(",", Only);
        }
    }

    private static bool TryInt(string[] args, int i, out int value, out string? error)
    {
        error = null;
        value = 0;
        if (i < args.Length && int.TryParse(args[i].Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
            return true;
        error = $"{args[Math.Min(i, args.Length) - 1]} needs an integer";
        return false;
    }
}
