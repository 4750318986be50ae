using System.Text.Json;
using Sop.Blobs;
using Sop.Errors;
using Sop.Ids;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Recovery;

/// <summary>
/// Deletes blob files that nothing references: written by commits that never reached the log, or replaced and not
/// reclaimed because their engine died. Referenced = the active and previous blob of every live handle, and every
/// value blob those nodes name. Only files older than a grace period are touched, because a commit in flight in any
/// engine writes its blobs before it publishes them.
/// </summary>
internal sealed class OrphanSweeper(IFileSystem fs, DataFolderLayout layout, IBlobStore blobs, TimeProvider time)
{
    /// <summary>Sweeps one store; returns how many blobs were deleted. <paramref name="keep"/> protects blobs this engine still owes to readers.</summary>
    public int Sweep(StoreRuntime store, TimeSpan grace, IReadOnlySet<BlobId> keep)
    {
        var orphans = FindOrphans(store, grace, keep);
        foreach (string path in orphans) fs.DeleteFile(path);
        return orphans.Count;
    }

    /// <summary>The unreferenced blob files of a store older than the grace period (none when a node blob is damaged).</summary>
    public List<string> FindOrphans(StoreRuntime store, TimeSpan grace, IReadOnlySet<BlobId> keep)
    {
        string name = store.Info.Name;
        var referenced = new HashSet<BlobId>(keep);
        foreach (var h in store.Registry.Scan())
        {
            foreach (var node in new[] { h.Active, h.Inactive })
            {
                if (node.IsNone || !referenced.Add(node)) continue;
                byte[]? image;
                try
                {
                    image = blobs.TryRead(name, node, EnvelopeKind.Node);
                }
                catch (DataCorruptionException)
                {
                    return []; // cannot tell which values a damaged node names: delete nothing
                }
                if (image is not null) AddValueReferences(image, referenced);
            }
        }
        var cutoff = time.GetUtcNow() - grace;
        var orphans = new List<string>();
        string root = layout.BlobsDirectory(name);
        foreach (string d1 in fs.ListDirectories(root))
        {
            foreach (string d2 in fs.ListDirectories(Path.Combine(root, d1)))
            {
                string dir = Path.Combine(root, d1, d2);
                foreach (string file in fs.ListFiles(dir))
                {
                    if (!Guid.TryParseExact(file, "N", out var id) || referenced.Contains(new BlobId(id))) continue;
                    string path = Path.Combine(dir, file);
                    if (fs.GetLastWriteTime(path) is not { } written || written > cutoff) continue;
                    orphans.Add(path);
                }
            }
        }
        return orphans;
    }

    private static void AddValueReferences(byte[] image, HashSet<BlobId> referenced)
    {
        using var doc = JsonDocument.Parse(image, new JsonDocumentOptions { MaxDepth = SopDefaults.JsonMaxDepth });
        if (!doc.RootElement.TryGetProperty("items", out var items)) return;
        foreach (var item in items.EnumerateArray())
            if (item.TryGetProperty("vb", out var vb) && vb.TryGetGuid(out var g)) referenced.Add(new BlobId(g));
    }
}
