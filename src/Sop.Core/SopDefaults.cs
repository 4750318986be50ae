namespace Sop;

/// <summary>Every default of the engine in one place (decisions.md 14); all are configurable through options.</summary>
public static class SopDefaults
{
    /// <summary>Items per node when a store is created without one.</summary>
    public const int SlotLength = 500;

    /// <summary>Smallest allowed slot length.</summary>
    public const int MinSlotLength = 4;

    /// <summary>Largest allowed slot length.</summary>
    public const int MaxSlotLength = 10_000;

    /// <summary>Longest key in UTF-8 bytes (serialized form for non-string keys).</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Values serialized larger than this go to their own blob even in a value-in-node store.</summary>
    public const int InlineValueMaxBytes = 4096;

    /// <summary>Nesting depth the node and value serializer accept (the API accepts values up to depth 64).</summary>
    public const int JsonMaxDepth = 128;

    /// <summary>How long a transaction may run through the engine API.</summary>
    public static readonly TimeSpan TransactionMaxTime = TimeSpan.FromSeconds(60);

    /// <summary>L1 node cache bound in nodes.</summary>
    public const int L1MaxNodes = 100_000;

    /// <summary>L1 node cache bound in (estimated) bytes.</summary>
    public const long L1MaxBytes = 512L << 20;

    /// <summary>Above this many bytes of images a commit makes its blobs durable instead of logging the images.</summary>
    public const long CommitRecordImagesMaxBytes = 1L << 20;

    /// <summary>Interval of the background recovery sweep.</summary>
    public static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(10);

    /// <summary>Interval of the orphan-blob sweep.</summary>
    public static readonly TimeSpan OrphanSweepInterval = TimeSpan.FromHours(1);

    /// <summary>The log segment size after which a checkpoint runs.</summary>
    public const long CheckpointLogBytes = 64L << 20;
}
