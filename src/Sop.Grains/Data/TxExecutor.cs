using System.Text.Json;
using System.Text.Json.Nodes;
using Sop.Errors;
using Sop.Json;
using Sop.Transactions;
using Sop.Trees;

namespace Sop.Grains.Data;

/// <summary>
/// Runs parsed operations in one engine transaction, in order; later operations see earlier writes. Results follow
/// rest-api.md: <c>get</c> → found/value, <c>range</c> → items/next, writes → ok.
/// </summary>
internal static class TxExecutor
{
    private static readonly JsonElement Null = JsonDocument.Parse("null").RootElement.Clone();

    public static JsonArray Run(Transaction tx, IReadOnlyList<TxOperation> operations)
    {
        var results = new JsonArray();
        for (int i = 0; i < operations.Count; i++)
        {
            try
            {
                results.Add(Execute(tx, operations[i], i));
            }
            catch (InvalidKeyException e)
            {
                throw new RequestInvalidException(e.Message, i);
            }
            catch (StoreNotFoundException e)
            {
                throw new StoreMissingException(e.Message, i);
            }
            catch (StoreMismatchException e)
            {
                throw new OperationFailedException($"store '{operations[i].Store}' is not a JSON store: {e.Message}", i);
            }
        }
        return results;
    }

    private static JsonNode Execute(Transaction tx, TxOperation op, int i)
    {
        var store = tx.OpenJsonStore(op.Store);
        switch (op.Op)
        {
            case "get":
                return store.TryGetValue(op.Key!, out var value)
                    ? new JsonObject { ["found"] = true, ["value"] = JsonNode.Parse(value.GetRawText()) }
                    : new JsonObject { ["found"] = false };
            case "add":
                bool added = store.Info.UniqueKeys ? store.AddIfNotExist(op.Key!, Element(op.Value)) : store.Add(op.Key!, Element(op.Value));
                if (!added) throw new OperationFailedException($"key '{op.Key}' already exists in store '{op.Store}'", i);
                return Ok();
            case "update":
                if (!store.Update(op.Key!, Element(op.Value))) throw new OperationFailedException($"key '{op.Key}' does not exist in store '{op.Store}'", i);
                return Ok();
            case "upsert":
                store.Upsert(op.Key!, Element(op.Value));
                return Ok();
            case "remove":
                if (!store.Remove(op.Key!)) throw new OperationFailedException($"key '{op.Key}' does not exist in store '{op.Store}'", i);
                return Ok();
            default:
                return Range(store, op);
        }
    }

    /// <summary>One page: up to <c>limit</c> items after the cursor; <c>next</c> is null exactly when the range is exhausted.</summary>
    public static JsonObject Range(BTree<string, JsonElement> store, TxOperation op)
    {
        var range = (op.From, op.To) switch
        {
            (null, null) => KeyRange<string>.All,
            (not null, null) => KeyRange<string>.AtLeast(op.From),
            (null, not null) => KeyRange<string>.Below(op.To),
            _ => KeyRange<string>.Between(op.From, op.To),
        };
        var items = new JsonArray();
        string? next = null;
        Cursor? last = null;
        foreach (var item in store.Scan(range, op.Desc, op.KeysOnly, op.After is null ? null : (op.After.Key, op.After.Id)))
        {
            if (items.Count == op.Limit)
            {
                next = last!.Encode();
                break;
            }
            items.Add(op.KeysOnly ? new JsonObject { ["key"] = item.Key } : new JsonObject { ["key"] = item.Key, ["value"] = JsonNode.Parse(item.Value.GetRawText()) });
            last = new Cursor(item.Key, item.ItemId);
        }
        return new JsonObject { ["items"] = items, ["next"] = next };
    }

    private static JsonObject Ok() => new() { ["ok"] = true };

    private static JsonElement Element(JsonNode? value) => value is null ? Null : JsonSerializer.SerializeToElement(value);
}

/// <summary>An operation named a store that does not exist (HTTP 404 with the operation index).</summary>
internal sealed class StoreMissingException(string message, int operationIndex) : Exception(message)
{
    public int OperationIndex { get; } = operationIndex;
}
