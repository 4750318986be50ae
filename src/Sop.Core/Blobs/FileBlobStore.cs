using System.Collections.Concurrent;
using Sop.Errors;
using Sop.Ids;
using Sop.Storage;

namespace Sop.Blobs;

/// <summary>One file per blob under <c>stores/&lt;store&gt;/blobs/ab/cd/</c>, framed by an <see cref="Envelope"/>.</summary>
/// <remarks>
/// Files are written in place through the page cache (no temp file, no fsync): the id is fresh, so no reader can
/// look at the file before the registry names it, and a torn file is detected by its checksum and rewritten from
/// the commit log by recovery.
/// </remarks>
public sealed class FileBlobStore(IFileSystem fs, DataFolderLayout layout) : IBlobStore
{
    private readonly ConcurrentDictionary<string, bool> _knownDirectories = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Write(string store, BlobId id, EnvelopeKind kind, ReadOnlySpan<byte> payload)
    {
        string dir = layout.BlobDirectory(store, id);
        if (!_knownDirectories.ContainsKey(dir))
        {
            fs.CreateDirectory(dir);
            _knownDirectories[dir] = true;
        }
        byte[] framed = Envelope.Wrap(kind, payload);
        try
        {
            fs.WriteAllBytes(layout.BlobPath(store, id), framed);
        }
        catch (DirectoryNotFoundException)
        {
            // The store folder was deleted and re-created since we cached the folder: create it again.
            fs.CreateDirectory(dir);
            fs.WriteAllBytes(layout.BlobPath(store, id), framed);
        }
    }

    /// <inheritdoc />
    public byte[]? TryRead(string store, BlobId id, EnvelopeKind kind)
    {
        byte[]? bytes = fs.TryReadAllBytes(layout.BlobPath(store, id));
        if (bytes is null) return null;
        if (!Envelope.TryUnwrap(bytes, kind, out var payload, out string? error))
            throw new DataCorruptionException($"blob {id} of store '{store}' is damaged: {error}");
        return payload.ToArray();
    }

    /// <inheritdoc />
    public bool IsIntact(string store, BlobId id, EnvelopeKind kind)
    {
        byte[]? bytes = fs.TryReadAllBytes(layout.BlobPath(store, id));
        return bytes is not null && Envelope.TryUnwrap(bytes, kind, out _, out _);
    }

    /// <inheritdoc />
    public void Delete(string store, BlobId id) => fs.DeleteFile(layout.BlobPath(store, id));

    /// <inheritdoc />
    public void DeleteStore(string store)
    {
        string prefix = layout.BlobsDirectory(store);
        foreach (var key in _knownDirectories.Keys)
            if (key.StartsWith(prefix, StringComparison.Ordinal)) _knownDirectories.TryRemove(key, out _);
        fs.DeleteDirectory(prefix);
    }
}
