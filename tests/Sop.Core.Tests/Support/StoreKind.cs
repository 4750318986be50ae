using Sop.Hosting;
using Sop.Storage;

namespace Sop.Tests.Support;

/// <summary>Which file system an engine test runs on.</summary>
public enum StoreKind
{
    /// <summary>The real disk (a temp folder).</summary>
    File,

    /// <summary>The in-memory file system with its power-loss model.</summary>
    Memory,
}

/// <summary>Builds engine options for a store kind; owns the temp folder or in-memory file system.</summary>
public sealed class EngineHarness : IDisposable
{
    private readonly TestFolder? _folder;

    public EngineHarness(StoreKind kind)
    {
        Kind = kind;
        if (kind == StoreKind.File)
        {
            _folder = new TestFolder();
            FileSystem = LocalFileSystem.Instance;
            DataPath = _folder.Path;
        }
        else
        {
            FileSystem = new InMemoryFileSystem();
            DataPath = "/db";
        }
    }

    public StoreKind Kind { get; }

    public IFileSystem FileSystem { get; }

    public string DataPath { get; }

    public SopEngineOptions Options(Action<SopEngineOptions>? configure = null)
    {
        var o = new SopEngineOptions { DataPath = DataPath, FileSystem = FileSystem };
        configure?.Invoke(o);
        return o;
    }

    public ValueTask<SopEngine> OpenAsync(Action<SopEngineOptions>? configure = null) => SopEngine.OpenAsync(Options(configure));

    public void Dispose() => _folder?.Dispose();
}
