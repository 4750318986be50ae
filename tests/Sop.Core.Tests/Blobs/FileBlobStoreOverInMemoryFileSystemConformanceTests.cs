using Sop.Storage;

namespace Sop.Tests.Blobs;

/// <summary>Runs the blob-store conformance suite against <see cref="Sop.Blobs.FileBlobStore"/> on the in-memory file system.</summary>
public sealed class FileBlobStoreOverInMemoryFileSystemConformanceTests() : FileBlobStoreConformanceTests(new InMemoryFileSystem());
