using System.Text.Json;
using System.Text.Json.Nodes;
using Sop.Errors;
using Sop.Json;
using Sop.Storage;
using Sop.Transactions;
using Sop.Trees;

namespace Sop.Compute.Running;

/// <summary>
/// What macros may do to user stores inside a transaction: the item operations of the HTTP API on JSON stores. System
/// stores (names starting with '.', such as <c>.macros</c>) are out of reach, as through the API (decisions.md 19).
/// </summary>
internal sealed class ItemAccess(Transaction tx, ComputeOptions options)
{
    public Transaction Transaction => tx;

    public JsonNode? Get(string store, string key) =>
        Open(store).TryGetValue(CheckKey(key), out var value) ? JsonNode.Parse(value.GetRawText()) : null;

    public JsonNode? Put(string store, string key, JsonNode? value)
    {
        Open(store).Upsert(CheckKey(key), ToElement(value));
        return value?.DeepClone();
    }

    public bool Add(string store, string key, JsonNode? value)
    {
        var tree = Open(store);
        return tree.Info.UniqueKeys ? tree.AddIfNotExist(CheckKey(key), ToElement(value)) : tree.Add(CheckKey(key), ToElement(value));
    }

    public bool Remove(string store, string key) => Open(store).Remove(CheckKey(key));

    /// <summary>Items with <paramref name="from"/> &lt;= key &lt; <paramref name="to"/> (both optional), ascending.</summary>
    public JsonArray Range(string store, string? from, string? to, int? limit)
    {
        int take = limit ?? options.DefaultRangeLimit;
        if (take < 1 || take > options.MaxRangeLimit) throw new InvalidArgumentException($"a range limit must be within 1..{options.MaxRangeLimit} (was {take})");
        var range = (from, to) switch
        {
            (null, null) => KeyRange<string>.All,
            (not null, null) => KeyRange<string>.AtLeast(from),
            (null, not null) => KeyRange<string>.Below(to),
            _ => KeyRange<string>.Between(from, to),
        };
        var items = new JsonArray();
        foreach (var item in Open(store).Scan(range).Take(take))
            items.Add(new JsonObject { ["key"] = item.Key, ["value"] = JsonNode.Parse(item.Value.GetRawText()) });
        return items;
    }

    private BTree<string, JsonElement> Open(string store)
    {
        if (!StoreNames.IsValidUserName(store)) throw new InvalidStoreNameException($"'{store}' is not a valid store name");
        return tx.OpenJsonStore(store);
    }

    private static string CheckKey(string key)
    {
        if (string.IsNullOrEmpty(key)) throw new InvalidKeyException("a key must not be empty");
        return key;
    }

    private static JsonElement ToElement(JsonNode? value) =>
        value is null ? JsonDocument.Parse("null").RootElement.Clone() : JsonSerializer.SerializeToElement(value);
}
