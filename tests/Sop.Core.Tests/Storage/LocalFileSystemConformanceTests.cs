using Sop.Storage;

namespace Sop.Tests.Storage;

/// <summary>Runs the file-system conformance suite against the real disk (a fresh temp folder per test).</summary>
public sealed class LocalFileSystemConformanceTests : FileSystemConformanceTests
{
    protected override IFileSystem CreateFileSystem() => LocalFileSystem.Instance;
}
