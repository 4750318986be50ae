using Sop.Ids;

namespace Sop.Trees;

/// <summary>One item of a scan. <see cref="Value"/> is default in a keys-only scan.</summary>
/// <param name="Key">The key.</param>
/// <param name="ItemId">The item's id (tells duplicates apart; with the key it is a paging cursor).</param>
/// <param name="Value">The value, unless the scan was keys-only.</param>
public readonly record struct ScanItem<TKey, TValue>(TKey Key, ItemId ItemId, TValue? Value);
