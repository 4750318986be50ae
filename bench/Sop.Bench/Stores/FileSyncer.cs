namespace Sop.Bench.Stores;

/// <summary>
/// Fsyncs files another library writes (LiteDB never does): a second handle per file, opened when the file exists,
/// and <see cref="FileStream.Flush(bool)"/> with true, which is an <c>fsync</c> of the file whatever handle wrote it.
/// </summary>
internal sealed class FileSyncer(params string[] paths) : IDisposable
{
    private readonly FileStream?[] _handles = new FileStream?[paths.Length];
    private readonly Lock _lock = new();

    public void Sync()
    {
        lock (_lock) // concurrent writers: the handles are opened once
        {
            for (int i = 0; i < paths.Length; i++)
            {
                _handles[i] ??= File.Exists(paths[i])
                    ? new FileStream(paths[i], FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1)
                    : null;
            }
        }
        foreach (var handle in _handles) handle?.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        foreach (var handle in _handles) handle?.Dispose();
    }
}
