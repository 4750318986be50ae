using System.Text.Json;
using Sop.Blobs;
using Sop.Errors;
using Sop.Log;
using Sop.Registry;
using Sop.Storage;

namespace Sop.Transactions;

/// <summary>Creates, reads and removes a store's files.</summary>
internal static class StoreFiles
{
    /// <summary>
    /// Creates a store's files for a committed create. Steps: 1 (re)create the folder · 2 registry (fsynced) ·
    /// 3 count slots · 4 root blob and handle · 5 store info, durably and last: a store exists once its info is there.
    /// </summary>
    public static void Materialize(IFileSystem fs, DataFolderLayout layout, IBlobStore blobs, StoreInfo info, CommitRecord.NodeChange root)
    {
        string dir = layout.StoreDirectory(info.Name);
        fs.DeleteDirectory(dir); // leftovers of an interrupted creation
        blobs.DeleteStore(info.Name);
        fs.CreateDirectory(dir);
        fs.SyncDirectory(layout.StoresDirectory);
        using (var registry = RegistryFile.Create(fs, layout, info.Name))
        {
            blobs.Write(info.Name, root.Handle.Active, EnvelopeKind.Node, root.Image);
            registry.Write([root.Handle]);
        }
        using (CounterFile.Open(fs, layout.CountersPath(info.Name)))
        {
        }
        DurableFile.Write(fs, layout.StoreInfoPath(info.Name), Envelope.Wrap(EnvelopeKind.StoreInfo, JsonSerializer.SerializeToUtf8Bytes(info)));
    }

    /// <summary>Reads a store's info; null when the store does not exist (or its creation never finished).</summary>
    public static StoreInfo? TryReadInfo(IFileSystem fs, DataFolderLayout layout, string name)
    {
        byte[]? bytes = fs.TryReadAllBytes(layout.StoreInfoPath(name));
        if (bytes is null) return null;
        if (!Envelope.TryUnwrap(bytes, EnvelopeKind.StoreInfo, out var payload, out string? error))
            throw new DataCorruptionException($"store info of '{name}' is damaged: {error}");
        return JsonSerializer.Deserialize<StoreInfo>(payload);
    }

    public static StoreInfo DecodeInfo(byte[] payload) =>
        JsonSerializer.Deserialize<StoreInfo>(payload) ?? throw new DataCorruptionException("empty store info in a commit record");

    public static byte[] EncodeInfo(StoreInfo info) => JsonSerializer.SerializeToUtf8Bytes(info);

    /// <summary>Opens the files of an existing store; with a <paramref name="shared"/> view (several hosts), lookups go through it.</summary>
    public static StoreRuntime Open(IFileSystem fs, DataFolderLayout layout, StoreInfo info, Coordination.SharedView? shared = null)
    {
        var file = RegistryFile.Open(fs, layout, info.Name, freshUnderLock: shared is not null);
        IRegistry registry = shared is null ? file : new SharedRegistry(file, info.StoreId, shared);
        return new(info, registry, CounterFile.Open(fs, layout.CountersPath(info.Name), fresh: shared is not null));
    }
}
