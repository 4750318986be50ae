using System.Text;
using System.Text.Json.Nodes;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Grains.Data;

/// <summary>
/// Reads a transaction request strictly (rest-api.md): types are exact (no "500" for 500, no 1 for a mode), unknown
/// modes and operations are errors, writes are refused in read-only modes, unknown extra fields are ignored.
/// </summary>
internal static class TxRequestParser
{
    public const int MaxOperations = 10_000;
    public const int MaxLimit = 10_000;
    public const int DefaultLimit = 100;

    public static (TransactionMode Mode, List<TxOperation> Operations) Parse(JsonNode? body)
    {
        if (body is not JsonObject root) throw new RequestInvalidException("the body must be a JSON object with 'operations'");
        var mode = (string?)Str(root, "mode", null) switch
        {
            null or "forWriting" => TransactionMode.ForWriting,
            "forReading" => TransactionMode.ForReading,
            "noCheck" => TransactionMode.NoCheck,
            var other => throw new RequestInvalidException($"unknown mode '{other}' (forWriting, forReading or noCheck)"),
        };
        if (root["operations"] is not JsonArray array) throw new RequestInvalidException("'operations' must be an array");
        if (array.Count > MaxOperations) throw new RequestInvalidException($"at most {MaxOperations} operations per transaction (got {array.Count})");
        var operations = new List<TxOperation>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            var op = Operation(array[i], i);
            if (op.IsWrite && mode != TransactionMode.ForWriting)
                throw new RequestInvalidException($"operation {i} ({op.Op}) writes, but the transaction mode is {ModeName(mode)}", i);
            operations.Add(op);
        }
        return (mode, operations);
    }

    private static TxOperation Operation(JsonNode? node, int i)
    {
        if (node is not JsonObject o) throw new RequestInvalidException($"operation {i} must be an object", i);
        string op = Str(o, "op", i) ?? throw new RequestInvalidException($"operation {i} needs 'op'", i);
        string store = Str(o, "store", i) ?? throw new RequestInvalidException($"operation {i} needs 'store'", i);
        CheckStoreName(store, i);
        switch (op)
        {
            case "get" or "remove":
                return new TxOperation(op, store, RequiredKey(o, i), null, null, null, 0, false, false, null);
            case "add" or "update" or "upsert":
                if (!o.ContainsKey("value")) throw new RequestInvalidException($"operation {i} ({op}) needs 'value'", i);
                return new TxOperation(op, store, RequiredKey(o, i), o["value"]?.DeepClone(), null, null, 0, false, false, null);
            case "range":
                string? after = Str(o, "after", i);
                return new TxOperation(op, store, null, null, OptionalKey(o, "from", i), OptionalKey(o, "to", i), Limit(o, i),
                    Bool(o, "keysOnly", i), Bool(o, "desc", i), after is null ? null : Cursor.Decode(after));
            default:
                throw new RequestInvalidException($"operation {i}: unknown op '{op}' (get, add, update, upsert, remove, range)", i);
        }
    }

    public static void CheckStoreName(string store, int? i = null)
    {
        if (!StoreNames.IsValidUserName(store))
            throw new RequestInvalidException($"'{store}' is not a valid store name (1-64 characters of A-Z a-z 0-9 _ . -, not starting with '.')", i);
    }

    public static void CheckKey(string key, int? i = null)
    {
        int bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes is < 1 or > 1024) throw new RequestInvalidException($"a key must be 1-1024 UTF-8 bytes (was {bytes})", i);
    }

    private static string RequiredKey(JsonObject o, int i)
    {
        string key = Str(o, "key", i) ?? throw new RequestInvalidException($"operation {i} needs 'key'", i);
        CheckKey(key, i);
        return key;
    }

    private static string? OptionalKey(JsonObject o, string name, int i)
    {
        string? key = Str(o, name, i);
        if (key is not null && Encoding.UTF8.GetByteCount(key) > 1024) throw new RequestInvalidException($"'{name}' is longer than 1024 UTF-8 bytes", i);
        return key;
    }

    private static int Limit(JsonObject o, int i)
    {
        if (o["limit"] is null) return DefaultLimit;
        if (o["limit"] is not JsonValue v || !v.TryGetValue(out int limit) || limit is < 1 or > MaxLimit)
            throw new RequestInvalidException($"'limit' must be an integer within 1..{MaxLimit}", i);
        return limit;
    }

    private static bool Bool(JsonObject o, string name, int i) =>
        o[name] switch
        {
            null => false,
            JsonValue v when v.TryGetValue(out bool b) => b,
            _ => throw new RequestInvalidException($"'{name}' must be true or false", i),
        };

    private static string? Str(JsonObject o, string name, int? i) =>
        o[name] switch
        {
            null when !o.ContainsKey(name) => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            _ => throw new RequestInvalidException($"'{name}' must be a string", i),
        };

    private static string ModeName(TransactionMode mode) => mode == TransactionMode.ForReading ? "forReading" : "noCheck";
}
