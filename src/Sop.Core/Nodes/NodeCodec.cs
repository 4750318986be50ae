using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sop.Errors;
using Sop.Ids;

namespace Sop.Nodes;

/// <summary>
/// Serializes nodes as JSON (the on-disk format the seeds ask for):
/// <c>{"f":1,"id":"…","leaf":true,"items":[{"k":key,"i":"itemId","ver":1,"v":value | "vb":"blobId"}],"children":["…"]}</c>.
/// Inner nodes store separators as <c>{"k":key,"i":"itemId"}</c>.
/// </summary>
internal sealed class NodeCodec<TKey, TValue>
{
    public const int Format = 1;
    private readonly JsonTypeInfo<TKey> _keyInfo;
    private readonly JsonTypeInfo<TValue> _valueInfo;
    private readonly JsonWriterOptions _writerOptions = new() { SkipValidation = true };
    private readonly JsonReaderOptions _readerOptions = new() { MaxDepth = SopDefaults.JsonMaxDepth };

    public NodeCodec(JsonSerializerOptions options)
    {
        _keyInfo = (JsonTypeInfo<TKey>)options.GetTypeInfo(typeof(TKey));
        _valueInfo = (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
    }

    public byte[] Encode(Node<TKey, TValue> node)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (node.Count * 64));
        using (var w = new Utf8JsonWriter(buffer, _writerOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("f"u8, Format);
            w.WriteString("id"u8, node.Id.Value);
            w.WriteBoolean("leaf"u8, node.IsLeaf);
            w.WriteStartArray("items"u8);
            foreach (ref readonly var item in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(node.Items))
            {
                w.WriteStartObject();
                w.WritePropertyName("k"u8);
                JsonSerializer.Serialize(w, item.Key, _keyInfo);
                w.WriteString("i"u8, item.Id.Value);
                if (node.IsLeaf)
                {
                    w.WriteNumber("ver"u8, item.Version);
                    if (item.HasValueBlob)
                    {
                        w.WriteString("vb"u8, item.ValueBlob.Value);
                    }
                    else
                    {
                        w.WritePropertyName("v"u8);
                        JsonSerializer.Serialize(w, item.Value!, _valueInfo);
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (node.Children is { } children)
            {
                w.WriteStartArray("children"u8);
                foreach (var c in children) w.WriteStringValue(c.Value);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        node.EstimatedBytes = buffer.WrittenCount + 64;
        return buffer.WrittenSpan.ToArray();
    }

    public Node<TKey, TValue> Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            return DecodeCore(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new DataCorruptionException("a node blob passed its checksum but is not a valid node: " + e.Message, e);
        }
    }

    private Node<TKey, TValue> DecodeCore(ReadOnlySpan<byte> json)
    {
        var r = new Utf8JsonReader(json, _readerOptions);
        NodeId id = default;
        bool leaf = true;
        var items = new List<Item<TKey, TValue>>();
        List<NodeId>? children = null;
        Expect(ref r, JsonTokenType.StartObject);
        while (Read(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("f"u8))
            {
                Read(ref r);
                if (r.GetInt32() != Format) throw new JsonException($"unknown node format {r.GetInt32()}");
            }
            else if (r.ValueTextEquals("id"u8))
            {
                Read(ref r);
                id = new NodeId(r.GetGuid());
            }
            else if (r.ValueTextEquals("leaf"u8))
            {
                Read(ref r);
                leaf = r.GetBoolean();
            }
            else if (r.ValueTextEquals("items"u8))
            {
                Expect(ref r, JsonTokenType.StartArray);
                while (Read(ref r) == JsonTokenType.StartObject) items.Add(ReadItem(ref r));
            }
            else if (r.ValueTextEquals("children"u8))
            {
                Expect(ref r, JsonTokenType.StartArray);
                children = [];
                while (Read(ref r) == JsonTokenType.String) children.Add(new NodeId(r.GetGuid()));
            }
            else
            {
                Read(ref r);
                r.Skip();
            }
        }
        if (!leaf && children is null) throw new JsonException("inner node without children");
        return new Node<TKey, TValue>(id, items, leaf ? null : children) { EstimatedBytes = json.Length + 64 };
    }

    private Item<TKey, TValue> ReadItem(ref Utf8JsonReader r)
    {
        var item = default(Item<TKey, TValue>);
        while (Read(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("k"u8))
            {
                Read(ref r);
                item.Key = JsonSerializer.Deserialize(ref r, _keyInfo)!;
            }
            else if (r.ValueTextEquals("i"u8))
            {
                Read(ref r);
                item.Id = new ItemId(r.GetGuid());
            }
            else if (r.ValueTextEquals("ver"u8))
            {
                Read(ref r);
                item.Version = r.GetUInt32();
            }
            else if (r.ValueTextEquals("v"u8))
            {
                Read(ref r);
                item.Value = JsonSerializer.Deserialize(ref r, _valueInfo);
            }
            else if (r.ValueTextEquals("vb"u8))
            {
                Read(ref r);
                item.ValueBlob = new BlobId(r.GetGuid());
            }
            else
            {
                Read(ref r);
                r.Skip();
            }
        }
        return item;
    }

    public byte[] EncodeValue(TValue? value) => JsonSerializer.SerializeToUtf8Bytes(value!, _valueInfo);

    public TValue? DecodeValue(ReadOnlySpan<byte> json)
    {
        try
        {
            var r = new Utf8JsonReader(json, _readerOptions);
            return JsonSerializer.Deserialize(ref r, _valueInfo);
        }
        catch (JsonException e)
        {
            throw new DataCorruptionException("a value blob passed its checksum but is not valid JSON: " + e.Message, e);
        }
    }

    public byte[] EncodeKey(TKey key) => JsonSerializer.SerializeToUtf8Bytes(key, _keyInfo);

    private static JsonTokenType Read(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw new JsonException("unexpected end of node");
        return r.TokenType;
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (Read(ref r) != type) throw new JsonException($"expected {type}, found {r.TokenType}");
    }
}
