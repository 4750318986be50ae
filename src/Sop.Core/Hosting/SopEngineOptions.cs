using System.Text.Json;
using Sop.Storage;

namespace Sop.Hosting;

/// <summary>How an engine opens its database folder.</summary>
public sealed class SopEngineOptions
{
    /// <summary>The database folder (created when missing).</summary>
    public string DataPath { get; set; } = "./data";

    /// <summary>The file system under everything; tests pass an <see cref="InMemoryFileSystem"/>.</summary>
    public IFileSystem FileSystem { get; set; } = LocalFileSystem.Instance;

    /// <summary>The shared second-level node cache (none by default; clustered mode plugs Redis in here).</summary>
    public Caching.IL2Cache L2Cache { get; set; } = Caching.NullL2Cache.Instance;

    /// <summary>
    /// Where the lock scents live: null (default) for the host-local <see cref="Coordination.FileLockCoordinator"/>
    /// (standalone); clustered mode sets a Redis provider (<c>o.UseRedis("host:port")</c> from Sop.Redis). The folder
    /// format is the same either way.
    /// </summary>
    public Coordination.ICoordinationProvider? Coordination { get; set; }

    /// <summary>L1 cache bound in nodes.</summary>
    public int L1MaxNodes { get; set; } = SopDefaults.L1MaxNodes;

    /// <summary>L1 cache bound in estimated bytes.</summary>
    public long L1MaxBytes { get; set; } = SopDefaults.L1MaxBytes;

    /// <summary>Values serialized larger than this go to their own blob (decisions.md 7).</summary>
    public int InlineValueMaxBytes { get; set; } = SopDefaults.InlineValueMaxBytes;

    /// <summary>Default maximum duration of a transaction.</summary>
    public TimeSpan TransactionMaxTime { get; set; } = SopDefaults.TransactionMaxTime;

    /// <summary>A checkpoint runs once the current log segment is this large.</summary>
    public long CheckpointLogBytes { get; set; } = SopDefaults.CheckpointLogBytes;

    /// <summary>
    /// A commit whose node and value images exceed this many bytes writes them only to their blob files and makes
    /// those durable with one syncfs before its (then small) commit record, instead of writing every byte twice.
    /// Small commits keep their images in the record: one fsync in all.
    /// </summary>
    public long CommitRecordImagesMaxBytes { get; set; } = SopDefaults.CommitRecordImagesMaxBytes;

    /// <summary>How often the background recovery loop looks for dead engines to take over (decisions.md 14).</summary>
    public TimeSpan RecoveryInterval { get; set; } = SopDefaults.RecoveryInterval;

    /// <summary>How often the background recovery loop also deletes orphan blobs.</summary>
    public TimeSpan OrphanSweepInterval { get; set; } = SopDefaults.OrphanSweepInterval;

    /// <summary>Serializer settings for keys and values (MaxDepth is raised to at least 128).</summary>
    public JsonSerializerOptions? Json { get; set; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
