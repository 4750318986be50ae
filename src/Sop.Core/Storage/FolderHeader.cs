using System.Text.Json;
using Sop.Errors;

namespace Sop.Storage;

/// <summary>The database folder's header (<c>sop.db</c>): format version, identity GUID and incarnation (decisions.md 9, 12).</summary>
public sealed record FolderHeader
{
    /// <summary>The folder format this engine writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The folder's format version.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The folder's identity; lock scopes use it, not the path (which differs between mounts).</summary>
    public Guid DatabaseId { get; init; }

    /// <summary>Bumped when a copy of the folder is given a new identity.</summary>
    public int Incarnation { get; init; } = 1;

    /// <summary>Reads the header, creating it (durably) for a new folder.</summary>
    public static FolderHeader LoadOrCreate(IFileSystem fs, DataFolderLayout layout)
    {
        byte[]? bytes = fs.TryReadAllBytes(layout.HeaderPath);
        if (bytes is null)
        {
            var header = new FolderHeader { DatabaseId = Guid.NewGuid() };
            DurableFile.Write(fs, layout.HeaderPath, Envelope.Wrap(EnvelopeKind.FolderHeader, JsonSerializer.SerializeToUtf8Bytes(header)));
            return header;
        }
        if (!Envelope.TryUnwrap(bytes, EnvelopeKind.FolderHeader, out var payload, out string? error))
            throw new DataCorruptionException($"the folder header {layout.HeaderPath} is damaged: {error}");
        var read = JsonSerializer.Deserialize<FolderHeader>(payload) ?? throw new DataCorruptionException("empty folder header");
        if (read.Format != CurrentFormat) throw new DataCorruptionException($"folder format {read.Format} is not supported (this engine reads {CurrentFormat})");
        return read;
    }
}
