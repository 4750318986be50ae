using System.Text.Json.Nodes;
using Sop.Transactions;

namespace Sop.Grains.Data;

/// <summary>The contract's store info.</summary>
internal static class StoreJson
{
    public static JsonObject Info(StoreInfo info, long count) => new()
    {
        ["name"] = info.Name,
        ["count"] = count,
        ["slotLength"] = info.SlotLength,
        ["uniqueKeys"] = info.UniqueKeys,
        ["valueInNode"] = info.ValueInNode,
        ["description"] = info.Description,
        ["created"] = info.Created,
    };
}
