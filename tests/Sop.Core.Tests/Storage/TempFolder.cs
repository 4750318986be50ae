namespace Sop.Tests.Storage;

/// <summary>
/// A unique folder path under the system temp folder for one test. Not created here (the file system under test
/// creates it, on disk or in memory); deleted from disk on dispose if it exists.
/// </summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>The folder's absolute path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sop-tests-" + Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
