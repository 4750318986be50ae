using Sop.Storage;

namespace Sop.Tests.Storage;

/// <summary>Runs the file-system conformance suite against the in-memory file system.</summary>
public sealed class InMemoryFileSystemConformanceTests : FileSystemConformanceTests
{
    protected override IFileSystem CreateFileSystem() => new InMemoryFileSystem();
}
