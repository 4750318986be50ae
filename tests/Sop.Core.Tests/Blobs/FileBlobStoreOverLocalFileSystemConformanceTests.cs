using Sop.Storage;

namespace Sop.Tests.Blobs;

/// <summary>Runs the blob-store conformance suite against <see cref="Sop.Blobs.FileBlobStore"/> on the real disk.</summary>
public sealed class FileBlobStoreOverLocalFileSystemConformanceTests() : FileBlobStoreConformanceTests(LocalFileSystem.Instance);
