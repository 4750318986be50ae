using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Sop.Ids;

namespace Sop.Grains.Data;

/// <summary>
/// The opaque paging cursor: the last (key, item id) a page returned, so the next page continues strictly after it
/// and paging under concurrent writes visits every item present throughout exactly once (decisions.md 22).
/// </summary>
internal sealed record Cursor(string Key, ItemId Id)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Payload(Key, Id.Value)));

    public static Cursor Decode(string text)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(Base64Url.DecodeFromChars(text));
            if (payload?.K is null) throw new FormatException("empty cursor");
            return new Cursor(payload.K, new ItemId(payload.I));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            throw new RequestInvalidException("'after' is not a cursor this API returned");
        }
    }

    private sealed record Payload(string K, Guid I);
}
