using System.Text.Json.Nodes;

namespace Sop.Grains.Data;

/// <summary>One parsed operation of a transaction request.</summary>
internal sealed record TxOperation(string Op, string Store, string? Key, JsonNode? Value, string? From, string? To, int Limit, bool KeysOnly, bool Desc, Cursor? After)
{
    public bool IsWrite => Op is "add" or "update" or "upsert" or "remove";
}
