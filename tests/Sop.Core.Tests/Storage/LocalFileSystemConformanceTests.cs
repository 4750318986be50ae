using Sop.Storage;

namespace Sop.Tests.Storage;

/// <summary>Runs the file-system conformance suite against the real disk (a fresh temp folder per test).</summary>
public sealed class LocalFileSystemConformanceTests : FileSystemConformanceTests
{
    protected override IFileSystem CreateFileSystem() => LocalFileSystem.Instance;

    [Fact(Skip = "BUG: LocalFileSystem.DeleteFile (src/Sop.Core/Storage/LocalFileSystem.cs, DeleteFile => File.Delete) throws "
        + "DirectoryNotFoundException when the file's folder does not exist, although IFileSystem.DeleteFile promises 'no error "
        + "when it is already gone' and InMemoryFileSystem does not throw. FileBlobStore.Delete of a blob whose fan-out folder "
        + "is gone (never written, or after DeleteStore) therefore throws on disk only.")]
    public override void DeleteFileInMissingFolder_DoesNotThrow() => base.DeleteFileInMissingFolder_DoesNotThrow();
}
