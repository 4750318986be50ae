namespace Sop.Ids;

/// <summary>Physical identity of an immutable blob (a node image or a large value). A changed node gets a new blob id.</summary>
/// <param name="Value">The underlying UUID.</param>
public readonly record struct BlobId(Guid Value)
{
    /// <summary>The empty blob id ("no blob").</summary>
    public static readonly BlobId None = new(Guid.Empty);

    /// <summary>Creates a fresh random blob id.</summary>
    public static BlobId New() => new(RandomGuids.New());

    /// <summary>True when this is <see cref="None"/>.</summary>
    public bool IsNone => Value == Guid.Empty;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");
}
