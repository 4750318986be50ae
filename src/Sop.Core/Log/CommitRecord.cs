using System.Buffers.Binary;
using System.Text;
using Sop.Ids;
using Sop.Registry;

namespace Sop.Log;

/// <summary>
/// What one commit record carries: everything recovery needs to redo the commit (decisions.md 1).
/// </summary>
/// <remarks>
/// Payload layout (little-endian): format u8 · [format 2: lock-server generation (u16 length + UTF-8, empty when none)] ·
/// transaction id (16) · Unix ms i64 · store count u16, then per store:
/// flags u8 (1 create, 2 drop) · name (u16 length + UTF-8) · store id (16) · [create: info length u32 + info bytes] ·
/// count delta i64 · node count u32 × (handle record 64 bytes · image length u32 · image) · value count u32 ×
/// (blob id 16 · length u32 · bytes) · obsolete count u32 × blob id 16. A deleted node's image length is 0, and so is
/// that of a node whose blob was made durable before the record (large commits, see
/// <see cref="Hosting.SopEngineOptions.CommitRecordImagesMaxBytes"/>); such commits log no values either.
/// </remarks>
internal sealed class CommitRecord
{
    public const byte Format = 2;

    /// <summary>
    /// The lock-server generation (Redis token) the commit's locks were taken under, when the folder is shared by
    /// several hosts: recovery cuts a dead engine's records at the lock server's mark only within that generation.
    /// </summary>
    public string? Generation { get; set; }

    public Guid TransactionId { get; init; }

    public long UnixMs { get; init; }

    public List<StoreSection> Stores { get; } = [];

    public byte[] Encode()
    {
        var w = new Writer();
        w.U8(Format);
        w.String(Generation ?? "");
        w.Guid(TransactionId);
        w.I64(UnixMs);
        w.U16((ushort)Stores.Count);
        Span<byte> rec = stackalloc byte[HandleRecord.Size];
        foreach (var s in Stores)
        {
            w.U8((byte)((s.CreateInfo is not null ? 1 : 0) | (s.Drop ? 2 : 0)));
            w.String(s.Name);
            w.Guid(s.StoreId);
            if (s.CreateInfo is not null) w.Bytes(s.CreateInfo);
            w.I64(s.CountDelta);
            w.U32((uint)s.Nodes.Count);
            foreach (var n in s.Nodes)
            {
                HandleRecord.Write(rec, n.Handle);
                w.Raw(rec);
                w.Bytes(n.Image ?? []);
            }
            w.U32((uint)s.Values.Count);
            foreach (var v in s.Values)
            {
                w.Guid(v.Id.Value);
                w.Bytes(v.Payload);
            }
            w.U32((uint)s.Obsolete.Count);
            foreach (var o in s.Obsolete) w.Guid(o.Value);
        }
        return w.ToArray();
    }

    /// <summary>The generation a record was written under, without decoding the rest (null: none, or a format-1 record).</summary>
    public static string? PeekGeneration(ReadOnlySpan<byte> payload)
    {
        var r = new Reader(payload);
        return ReadGeneration(ref r);
    }

    private static string? ReadGeneration(ref Reader r)
    {
        byte format = r.U8();
        if (format == 1) return null; // written before records carried a generation
        if (format != Format) throw new Errors.DataCorruptionException("commit record of an unknown format");
        string generation = r.String();
        return generation.Length == 0 ? null : generation;
    }

    public static CommitRecord Decode(ReadOnlySpan<byte> payload)
    {
        var r = new Reader(payload);
        string? generation = ReadGeneration(ref r);
        var record = new CommitRecord { Generation = generation, TransactionId = r.Guid(), UnixMs = r.I64() };
        int stores = r.U16();
        for (int i = 0; i < stores; i++)
        {
            byte flags = r.U8();
            var s = new StoreSection { Name = r.String(), StoreId = r.Guid(), Drop = (flags & 2) != 0 };
            if ((flags & 1) != 0) s.CreateInfo = r.Bytes();
            s.CountDelta = r.I64();
            uint nodes = r.U32();
            for (uint n = 0; n < nodes; n++)
            {
                if (HandleRecord.Read(r.Raw(HandleRecord.Size), out var h) is HandleRecord.State.Free or HandleRecord.State.Corrupt)
                    throw new Errors.DataCorruptionException("commit record holds a bad handle");
                byte[] image = r.Bytes();
                s.Nodes.Add(new NodeChange(h, h.IsDeleted || image.Length == 0 ? null : image));
            }
            uint values = r.U32();
            for (uint v = 0; v < values; v++) s.Values.Add(new ValueWrite(new BlobId(r.Guid()), r.Bytes()));
            uint obsolete = r.U32();
            for (uint o = 0; o < obsolete; o++) s.Obsolete.Add(new BlobId(r.Guid()));
            record.Stores.Add(s);
        }
        return record;
    }

    /// <summary>One store's part of a commit.</summary>
    public sealed class StoreSection
    {
        public required string Name { get; init; }

        public required Guid StoreId { get; init; }

        /// <summary>Store-info payload when the commit creates the store.</summary>
        public byte[]? CreateInfo { get; set; }

        public bool Drop { get; init; }

        public long CountDelta { get; set; }

        public List<NodeChange> Nodes { get; } = [];

        public List<ValueWrite> Values { get; } = [];

        public List<BlobId> Obsolete { get; } = [];
    }

    /// <summary>Drops the images and values from the record once their blobs are durable (large commits).</summary>
    public void StripImages()
    {
        foreach (var s in Stores)
        {
            for (int i = 0; i < s.Nodes.Count; i++) s.Nodes[i] = s.Nodes[i] with { Image = null };
            s.Values.Clear();
        }
    }

    /// <summary>Bytes of node images and values the record carries.</summary>
    public long ImageBytes => Stores.Sum(s => s.Nodes.Sum(n => (long)(n.Image?.Length ?? 0)) + s.Values.Sum(v => (long)v.Payload.Length));

    /// <summary>A node's new handle and, unless it was removed or its blob is already durable, its new image.</summary>
    public readonly record struct NodeChange(Handle Handle, byte[]? Image);

    /// <summary>A value blob written by the commit.</summary>
    public readonly record struct ValueWrite(BlobId Id, byte[] Payload);

    private sealed class Writer
    {
        private byte[] _buf = new byte[256];
        private int _len;

        private Span<byte> Take(int n)
        {
            if (_len + n > _buf.Length) Array.Resize(ref _buf, Math.Max(_len + n, _buf.Length * 2));
            var s = _buf.AsSpan(_len, n);
            _len += n;
            return s;
        }

        public void U8(byte v) => Take(1)[0] = v;

        public void U16(ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), v);

        public void U32(uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), v);

        public void I64(long v) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), v);

        public void Guid(Guid g) => g.TryWriteBytes(Take(16));

        public void Raw(ReadOnlySpan<byte> b) => b.CopyTo(Take(b.Length));

        public void Bytes(ReadOnlySpan<byte> b)
        {
            U32((uint)b.Length);
            Raw(b);
        }

        public void String(string s)
        {
            int n = Encoding.UTF8.GetByteCount(s);
            U16((ushort)n);
            Encoding.UTF8.GetBytes(s, Take(n));
        }

        public byte[] ToArray() => _buf.AsSpan(0, _len).ToArray();
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public ReadOnlySpan<byte> Raw(int n)
        {
            if (n < 0 || _at + n > _data.Length) throw new Errors.DataCorruptionException("commit record is shorter than its content");
            var s = _data.Slice(_at, n);
            _at += n;
            return s;
        }

        public byte U8() => Raw(1)[0];

        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Raw(2));

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Raw(4));

        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Raw(8));

        public Guid Guid() => new(Raw(16));

        public byte[] Bytes() => Raw(checked((int)U32())).ToArray();

        public string String() => Encoding.UTF8.GetString(Raw(U16()));
    }
}
