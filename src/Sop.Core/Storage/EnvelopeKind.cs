namespace Sop.Storage;

/// <summary>What an <see cref="Envelope"/> holds. Persisted: values never change, new kinds get new numbers.</summary>
public enum EnvelopeKind : byte
{
    /// <summary>A serialized B-Tree node.</summary>
    Node = 1,

    /// <summary>A value stored outside its node.</summary>
    Value = 2,

    /// <summary>A store's info (JSON).</summary>
    StoreInfo = 3,

    /// <summary>The database folder header (JSON).</summary>
    FolderHeader = 4,
}
