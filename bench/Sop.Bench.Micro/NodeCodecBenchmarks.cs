using System.Buffers;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Sop.Bench.Micro;

/// <summary>
/// Encoding and decoding one full leaf (the slot length's items, 16-byte keys, 100-byte values): a commit encodes
/// every node it changes, a cache miss decodes one.
/// </summary>
/// <remarks>
/// The codec is internal to Sop.Core and its InternalsVisibleTo list does not name this assembly, so it is reached
/// through delegates bound once in the setup (a cast per call, no allocation). With
/// <c>&lt;InternalsVisibleTo Include="Sop.Bench.Micro" /&gt;</c> in Sop.Core.csproj these could call it directly.
/// </remarks>
[MemoryDiagnoser]
public class NodeCodecBenchmarks
{
    private delegate object DecodeNode(ReadOnlySpan<byte> json);

    private DecodeNode _decode = null!;
    private Func<object, byte[]> _encode = null!;
    private byte[] _leafJson = [];
    private object _leaf = null!;

    /// <summary>Items in the leaf: the harness's bulk slot length and its durable one.</summary>
    [Params(64, 500)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var codecType = typeof(Sop.SopEngine).Assembly.GetType("Sop.Nodes.NodeCodec`2", throwOnError: true)!
            .MakeGenericType(typeof(string), typeof(byte[]));
        // The engine's node options (SopEngine's constructor without a Json override).
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { MaxDepth = Sop.SopDefaults.JsonMaxDepth };
        json.MakeReadOnly(populateMissingResolver: true);
        object codec = Activator.CreateInstance(codecType, json)!;
        var decode = codecType.GetMethod("Decode", [typeof(ReadOnlySpan<byte>)])!;
        var encode = codecType.GetMethod("Encode")!;
        _decode = (DecodeNode)Delegate.CreateDelegate(typeof(DecodeNode), codec, decode);
        var node = Expression.Parameter(typeof(object), "node");
        _encode = Expression.Lambda<Func<object, byte[]>>(
            Expression.Call(Expression.Constant(codec), encode, Expression.Convert(node, encode.GetParameters()[0].ParameterType)), node).Compile();

        _leafJson = LeafJson(Items);
        _leaf = _decode(_leafJson);
        if (!_encode(_leaf).AsSpan().SequenceEqual(_leafJson)) throw new InvalidOperationException("the leaf does not round-trip: the node format changed");
    }

    [Benchmark]
    public byte[] Encode_leaf() => _encode(_leaf);

    [Benchmark]
    public object Decode_leaf() => _decode(_leafJson);

    /// <summary>A leaf in the node format (<c>{"f":1,"id":…,"leaf":true,"items":[{"k","i","ver","v"}]}</c>).</summary>
    private static byte[] LeafJson(int items)
    {
        var random = new Random(42);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("f", 1);
            w.WriteString("id", Guid.CreateVersion7());
            w.WriteBoolean("leaf", true);
            w.WriteStartArray("items");
            for (int i = 0; i < items; i++)
            {
                w.WriteStartObject();
                w.WriteString("k", BenchmarkKeys.Key(i * 7));
                w.WriteString("i", Guid.CreateVersion7());
                w.WriteNumber("ver", 1);
                w.WriteBase64String("v", BenchmarkKeys.Value(random));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
