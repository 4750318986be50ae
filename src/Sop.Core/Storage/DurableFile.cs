namespace Sop.Storage;

/// <summary>Replaces a small whole file so that a crash leaves either the old or the new content, never a mix.</summary>
/// <remarks>
/// Steps: 1 write <c>path.tmp</c> · 2 fsync it · 3 rename over <c>path</c> · 4 fsync the folder. A crash before 3
/// leaves the old file (and a stray temp file, overwritten next time); after 4 the new content is durable.
/// </remarks>
public static class DurableFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> durably and atomically.</summary>
    public static void Write(IFileSystem fs, string path, ReadOnlySpan<byte> bytes)
    {
        string tmp = path + ".tmp";
        using (var f = fs.Open(tmp, FileOpenMode.Create))
        {
            f.Write(0, bytes);
            f.Flush();
        }
        fs.Move(tmp, path);
        fs.SyncDirectory(Path.GetDirectoryName(path)!);
    }
}
