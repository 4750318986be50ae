using Sop.Blobs;

namespace Sop.Tests.Blobs;

/// <summary>Runs the blob-store conformance suite against <see cref="InMemoryBlobStore"/>.</summary>
public sealed class InMemoryBlobStoreConformanceTests : BlobStoreConformanceTests
{
    protected override IBlobStore CreateStore(string dataFolder) => new InMemoryBlobStore();
}
