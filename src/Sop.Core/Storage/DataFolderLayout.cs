using Sop.Ids;

namespace Sop.Storage;

/// <summary>Owns every path inside a database folder; nothing else builds file names.</summary>
/// <remarks>
/// <code>
/// sop.db                                   folder header (format, GUID, incarnation)
/// stores/&lt;store&gt;/store.info              store info
/// stores/&lt;store&gt;/registry.&lt;epoch&gt;.reg    registry hash table (one file per growth epoch)
/// stores/&lt;store&gt;/counters.dat            item-count slots, one per writer
/// stores/&lt;store&gt;/blobs/ab/c/&lt;blob&gt;       node and value blobs (fan-out on the first three hex digits)
/// log/w&lt;slot&gt;/&lt;firstSeq&gt;.log             commit log segments of one writer slot
/// </code>
/// </remarks>
public sealed class DataFolderLayout(string root)
{
    /// <summary>The database folder.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The folder header file.</summary>
    public string HeaderPath => Path.Combine(Root, "sop.db");

    /// <summary>The folder holding one folder per store.</summary>
    public string StoresDirectory => Path.Combine(Root, "stores");

    /// <summary>The folder of the commit logs.</summary>
    public string LogsDirectory => Path.Combine(Root, "log");

    /// <summary>A store's folder. The name must already be validated (<see cref="StoreNames"/>).</summary>
    public string StoreDirectory(string store) => Path.Combine(StoresDirectory, store);

    /// <summary>A store's info file.</summary>
    public string StoreInfoPath(string store) => Path.Combine(StoreDirectory(store), "store.info");

    /// <summary>A store's registry file of the given growth epoch.</summary>
    public string RegistryPath(string store, int epoch) => Path.Combine(StoreDirectory(store), $"registry.{epoch:D6}.reg");

    /// <summary>Parses the epoch out of a registry file name, or -1.</summary>
    public static int RegistryEpoch(string fileName) =>
        fileName.Length == 19 && fileName.StartsWith("registry.", StringComparison.Ordinal) && fileName.EndsWith(".reg", StringComparison.Ordinal)
        && fileName.AsSpan(9, 6).IndexOfAnyExceptInRange('0', '9') < 0 ? int.Parse(fileName.AsSpan(9, 6)) : -1;

    /// <summary>A store's count-slot file.</summary>
    public string CountersPath(string store) => Path.Combine(StoreDirectory(store), "counters.dat");

    /// <summary>A store's blob folder.</summary>
    public string BlobsDirectory(string store) => Path.Combine(StoreDirectory(store), "blobs");

    /// <summary>
    /// The folder a blob lives in: 256 folders of 16 (4,096 leaves), so a store of 16 million blobs still has only a few
    /// thousand files per folder, while a new store creates its folders after a few thousand commits, not 65,536.
    /// </summary>
    public string BlobDirectory(string store, BlobId blob)
    {
        string hex = blob.Value.ToString("N");
        return Path.Combine(BlobsDirectory(store), hex[..2], hex[2..3]);
    }

    /// <summary>A blob's file.</summary>
    public string BlobPath(string store, BlobId blob) => Path.Combine(BlobDirectory(store, blob), blob.Value.ToString("N"));

    /// <summary>The commit-log folder of a writer slot.</summary>
    public string LogDirectory(int slot) => Path.Combine(LogsDirectory, $"w{slot:D3}");

    /// <summary>A commit-log segment, named by the sequence number of its first record.</summary>
    public string LogSegmentPath(int slot, ulong firstSeq) => Path.Combine(LogDirectory(slot), $"{firstSeq:D20}.log");

    /// <summary>Parses the first sequence number out of a segment name, or null.</summary>
    public static ulong? LogSegmentFirstSeq(string fileName) =>
        fileName.EndsWith(".log", StringComparison.Ordinal) && ulong.TryParse(fileName.AsSpan(0, fileName.Length - 4), out ulong s) ? s : null;
}
