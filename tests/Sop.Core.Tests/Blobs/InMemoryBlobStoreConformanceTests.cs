using Sop.Blobs;

namespace Sop.Tests.Blobs;

/// <summary>Runs the blob-store conformance suite against <see cref="InMemoryBlobStore"/>.</summary>
public sealed class InMemoryBlobStoreConformanceTests : BlobStoreConformanceTests
{
    protected override IBlobStore CreateStore(string dataFolder) => new InMemoryBlobStore();

    [Fact(Skip = "BUG: InMemoryBlobStore.TryRead (src/Sop.Core/Blobs/InMemoryBlobStore.cs) returns null when the blob exists "
        + "under another EnvelopeKind, where FileBlobStore throws DataCorruptionException (Envelope kind check): the fake "
        + "reports a damaged reference as 'missing' and hides it from tests.")]
    public override void ReadWithWrongKind_ThrowsDataCorruption() => base.ReadWithWrongKind_ThrowsDataCorruption();

    [Fact(Skip = "BUG: InMemoryBlobStore.TryRead (src/Sop.Core/Blobs/InMemoryBlobStore.cs) returns the stored array itself, so "
        + "a caller that modifies the result changes the 'immutable' blob for every later reader; FileBlobStore returns a "
        + "fresh copy on each read.")]
    public override void MutatingReadResult_DoesNotChangeBlob() => base.MutatingReadResult_DoesNotChangeBlob();
}
