using Sop.Ids;
using Sop.Registry;

namespace Sop.Tests.Registry;

/// <summary>The A/B slot semantics of <see cref="Handle"/>: a change writes the inactive slot and flips.</summary>
public sealed class HandleTests
{
    private static readonly NodeId Id = new(new Guid("11111111-1111-1111-1111-111111111111"));
    private static readonly BlobId B1 = new(new Guid("22222222-2222-2222-2222-222222222222"));
    private static readonly BlobId B2 = new(new Guid("33333333-3333-3333-3333-333333333333"));
    private static readonly BlobId B3 = new(new Guid("44444444-4444-4444-4444-444444444444"));

    [Fact]
    public void ForNew_IsVersionOneInSlotA()
    {
        var h = Handle.ForNew(Id, B1);
        Assert.Equal(new Handle(Id, B1, BlobId.None, false, 1, 0, false), h);
        Assert.Equal(B1, h.Active);
        Assert.True(h.Inactive.IsNone);
    }

    [Fact]
    public void FlipFromA_WritesSlotBAndActivatesIt()
    {
        var h = Handle.ForNew(Id, B1).Flip(B2);
        Assert.Equal(new Handle(Id, B1, B2, true, 2, 0, false), h);
        Assert.Equal(B2, h.Active);
        Assert.Equal(B1, h.Inactive);
    }

    [Fact]
    public void FlipFromB_WritesSlotAAndActivatesIt()
    {
        var h = Handle.ForNew(Id, B1).Flip(B2).Flip(B3);
        Assert.Equal(new Handle(Id, B3, B2, false, 3, 0, false), h);
        Assert.Equal(B3, h.Active);
        Assert.Equal(B2, h.Inactive);
    }

    [Fact]
    public void Flip_ClearsWorkInProgressMark()
    {
        var h = (Handle.ForNew(Id, B1) with { WorkInProgressUnixSeconds = 123 }).Flip(B2);
        Assert.Equal(0u, h.WorkInProgressUnixSeconds);
    }

    [Fact]
    public void AsDeleted_KeepsBlobsBumpsVersionAndClearsMark()
    {
        var live = Handle.ForNew(Id, B1).Flip(B2) with { WorkInProgressUnixSeconds = 9 };
        var gone = live.AsDeleted();
        Assert.Equal(new Handle(Id, B1, B2, true, 3, 0, true), gone);
        Assert.Equal(B2, gone.Active);
    }
}
