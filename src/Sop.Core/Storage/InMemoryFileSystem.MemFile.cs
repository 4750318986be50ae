namespace Sop.Storage;

public sealed partial class InMemoryFileSystem
{
    /// <summary>
    /// One file's bytes as the page cache sees them and as the disk holds them (what a power loss keeps), both in
    /// 64 KiB pages where a missing page reads as zeros. A flush copies only the pages written since the last one,
    /// and zeros written over a missing page allocate nothing, so a large zero-filled (preallocated) file that is
    /// overwritten a little at a time costs what was written, not its length. Callers hold the file system's gate.
    /// </summary>
    /// <remarks>Bytes of a page past <see cref="Length"/> are undefined: growing the file zeros them first.</remarks>
    private sealed class MemFile
    {
        private const int PageBits = 16;
        private const int PageSize = 1 << PageBits;

        private byte[]?[] _pages = [];
        private byte[]?[] _durable = [];
        private int _durableLength;
        private readonly HashSet<int> _dirty = []; // pages that may differ from their durable copy

        public int Length { get; private set; }

        public DateTimeOffset Written { get; set; }

        public int Read(long offset, Span<byte> buffer)
        {
            if (offset >= Length) return 0;
            int n = (int)Math.Min(buffer.Length, Length - offset);
            for (int done = 0; done < n;)
            {
                int at = (int)offset + done;
                int inPage = at & (PageSize - 1);
                int count = Math.Min(n - done, PageSize - inPage);
                var target = buffer.Slice(done, count);
                if (_pages[at >> PageBits] is { } page) page.AsSpan(inPage, count).CopyTo(target);
                else target.Clear();
                done += count;
            }
            return n;
        }

        public byte[] ToArray()
        {
            var bytes = new byte[Length];
            Read(0, bytes);
            return bytes;
        }

        public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
        {
            int start = checked((int)offset);
            int end = checked(start + bytes.Length);
            if (start > Length) SetLength(start);
            EnsurePages(end);
            for (int done = 0; done < bytes.Length;)
            {
                int at = start + done;
                int inPage = at & (PageSize - 1);
                int count = Math.Min(bytes.Length - done, PageSize - inPage);
                var chunk = bytes.Slice(done, count);
                ref byte[]? page = ref _pages[at >> PageBits];
                if (page is not null || chunk.IndexOfAnyExcept((byte)0) >= 0)
                {
                    page ??= new byte[PageSize];
                    chunk.CopyTo(page.AsSpan(inPage));
                }
                _dirty.Add(at >> PageBits);
                done += count;
            }
            Length = Math.Max(Length, end);
        }

        public void SetLength(long length)
        {
            int n = checked((int)length);
            if (n > Length)
            {
                EnsurePages(n);
                ClearFrom(Length, n);
            }
            Length = n;
        }

        /// <summary>fsync: the bytes and the length.</summary>
        public void MakeDurable()
        {
            if (_durable.Length < _pages.Length) Array.Resize(ref _durable, _pages.Length);
            foreach (int p in _dirty) _durable[p] = (byte[]?)_pages[p]?.Clone();
            _dirty.Clear();
            _durableLength = Length;
        }

        /// <summary>
        /// fdatasync as <see cref="IRandomAccessFile.FlushData"/> promises it: the bytes inside the durable length
        /// become durable; the length stays, so bytes past it stay pending until a <see cref="MakeDurable"/>.
        /// </summary>
        public void MakeDataDurable()
        {
            int limit = Math.Min(Length, _durableLength);
            foreach (int p in _dirty.ToList())
            {
                int pageStart = p << PageBits;
                if (pageStart >= limit) continue; // wholly past the durable length: stays pending
                if (pageStart + PageSize <= limit)
                {
                    _durable[p] = (byte[]?)_pages[p]?.Clone();
                    _dirty.Remove(p);
                    continue;
                }
                // The page holding the limit: its bytes below the limit become durable, the rest stays as it was.
                var merged = (byte[]?)_durable[p]?.Clone() ?? new byte[PageSize];
                int below = limit - pageStart;
                if (_pages[p] is { } page) page.AsSpan(0, below).CopyTo(merged);
                else merged.AsSpan(0, below).Clear();
                _durable[p] = merged;
            }
        }

        public void RevertToDurable()
        {
            _pages = Array.ConvertAll(_durable, p => (byte[]?)p?.Clone());
            Length = _durableLength;
            _dirty.Clear();
        }

        public MemFile Copy()
        {
            var copy = new MemFile
            {
                _pages = Array.ConvertAll(_pages, p => (byte[]?)p?.Clone()),
                _durable = Array.ConvertAll(_durable, p => (byte[]?)p?.Clone()),
                _durableLength = _durableLength,
                Length = Length,
                Written = Written,
            };
            copy._dirty.UnionWith(_dirty);
            return copy;
        }

        private void EnsurePages(int length)
        {
            int count = (length + PageSize - 1) >> PageBits;
            if (count > _pages.Length) Array.Resize(ref _pages, Math.Max(count, _pages.Length * 2));
        }

        /// <summary>Zeros <c>[from, to)</c>: whole pages are dropped, a partial one is cleared.</summary>
        private void ClearFrom(int from, int to)
        {
            for (int at = from; at < to;)
            {
                int p = at >> PageBits;
                int inPage = at & (PageSize - 1);
                int count = Math.Min(to - at, PageSize - inPage);
                if (count == PageSize) _pages[p] = null;
                else _pages[p]?.AsSpan(inPage, count).Clear();
                _dirty.Add(p);
                at += count;
            }
        }
    }
}
