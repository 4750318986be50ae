using Sop.Storage;

namespace Sop.Tests.Storage;

/// <summary>A data-only flush is a flush to <see cref="FaultInjectingFileSystem"/>: a numbered operation, a crash point, and failed by <see cref="FaultInjectingFileSystem.FailFlushes"/>.</summary>
public sealed class FaultInjectingFileSystemTests
{
    private readonly InMemoryFileSystem _disk = new();
    private readonly FaultInjectingFileSystem _faulty;

    public FaultInjectingFileSystemTests()
    {
        _faulty = new FaultInjectingFileSystem(_disk);
        _faulty.CreateDirectory("/d");
    }

    [Fact]
    public void DataFlush_IsANumberedOperationAndACrashPoint()
    {
        using var f = _faulty.Open("/d/f.bin", FileOpenMode.Create);
        f.Write(0, [1]);
        long before = _faulty.Operations;
        f.FlushData();
        Assert.Equal(before + 1, _faulty.Operations);
        _faulty.CrashAtOperation = _faulty.Operations + 1;
        Assert.Throws<IOException>(() => f.FlushData());
        Assert.True(_faulty.Crashed);
    }

    [Fact]
    public void FailFlushes_FailsDataFlushesToo()
    {
        using var f = _faulty.Open("/d/f.bin", FileOpenMode.Create);
        _faulty.FailFlushes = true;
        Assert.Throws<IOException>(() => f.FlushData());
        Assert.False(_faulty.Crashed);
        _faulty.FailFlushes = false;
        f.FlushData();
    }
}
