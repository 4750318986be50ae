using Sop.Tests.Support;
using Sop.Transactions;
using static Sop.Tests.Behaviour.BehaviourSupport;

namespace Sop.Tests.Behaviour;

/// <summary>A database folder is self-contained: a copy taken while no engine has it open is a snapshot that opens on its own.</summary>
public sealed class FolderCopyTests
{
    private static async Task FillAsync(SopEngine engine)
    {
        await engine.CreateStoreAsync<string, string>(new StoreOptions("docs") { SlotLength = 8 });
        await engine.CreateStoreAsync<int, byte[]>(new StoreOptions("files") { ValueInNode = false, UniqueKeys = false });
        await engine.CreateSystemStoreAsync<string, int>(new StoreOptions(".macros"));
        await CommitAsync<string, string>(engine, "docs", s =>
        {
            for (int i = 0; i < 100; i++) s.Add($"d{i:D3}", $"text {i}");
        });
        await CommitAsync<string, string>(engine, "docs", s =>
        {
            for (int i = 0; i < 100; i += 3) s.Remove($"d{i:D3}");
            s.Update("d001", "edited");
        });
        await CommitAsync<int, byte[]>(engine, "files", s =>
        {
            s.Add(1, new byte[10_000]);
            s.Add(1, [1, 2, 3]);
        });
        await using var tx = engine.Begin();
        tx.OpenStore<string, int>(".macros").Add("m", 42);
        await tx.CommitAsync();
    }

    private static async Task AssertFilledAsync(SopEngine engine)
    {
        Assert.Equal(["docs", "files"], engine.ListStores().Select(s => s.Name));
        Assert.Equal(66, engine.GetCount("docs"));
        var docs = await ReadAllAsync<string, string>(engine, "docs");
        var expected = Enumerable.Range(0, 100).Where(i => i % 3 != 0).Select(i => ($"d{i:D3}", (string?)(i == 1 ? "edited" : $"text {i}")));
        Assert.Equal(expected, docs);
        var files = await ReadAllAsync<int, byte[]>(engine, "files");
        Assert.Equal(2, files.Count);
        Assert.Equal(new byte[10_000], files[0].Value);
        Assert.Equal([1, 2, 3], files[1].Value);
        Assert.False(engine.TryGetStoreInfo("files")!.UniqueKeys);
        Assert.Equal(1, engine.GetCount(".macros"));
    }

    [Theory]
    [InlineData(StoreKind.File)]
    [InlineData(StoreKind.Memory)]
    public async Task CopyOfClosedFolder_OpensAsSnapshotWithSameContent(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        using var copyFolder = new TestFolder();
        string copyPath = kind == StoreKind.File ? Path.Combine(copyFolder.Path, "copy") : "/elsewhere/copy";

        await using (var engine = await h.OpenAsync())
            await FillAsync(engine);
        CopyFolder(h.FileSystem, h.DataPath, copyPath);

        // the original moves on after the copy
        await using (var engine = await h.OpenAsync())
        {
            await CommitAsync<string, string>(engine, "docs", s =>
            {
                s.Add("after-copy", "x");
                s.Remove("d002");
            });
            Assert.True(await engine.DeleteStoreAsync("files"));
        }

        await using (var copy = await h.OpenAsync(o => o.DataPath = copyPath))
        {
            await AssertFilledAsync(copy);
            Assert.Equal(Path.GetFullPath(copyPath), copy.Layout.Root);
        }

        // the copy is a working database of its own and does not touch the original
        await using (var copy = await h.OpenAsync(o => o.DataPath = copyPath))
        {
            await CommitAsync<string, string>(copy, "docs", s => s.Add("only-in-copy", "y"));
            Assert.Equal(67, copy.GetCount("docs"));
        }
        await using (var engine = await h.OpenAsync())
        {
            Assert.Equal(["docs"], engine.ListStores().Select(s => s.Name));
            var docs = await ReadAllAsync<string, string>(engine, "docs");
            Assert.Contains(docs, d => d.Key == "after-copy");
            Assert.DoesNotContain(docs, d => d.Key is "only-in-copy" or "d002");
        }
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    public async Task CopyOfCopy_StillOpensWithSameContent(StoreKind kind)
    {
        using var h = new EngineHarness(kind);
        using var copyFolder = new TestFolder();
        string root = kind == StoreKind.File ? copyFolder.Path : "/copies";
        string first = Path.Combine(root, "one"), second = Path.Combine(root, "two");

        await using (var engine = await h.OpenAsync())
            await FillAsync(engine);
        CopyFolder(h.FileSystem, h.DataPath, first);
        await using (var copy = await h.OpenAsync(o => o.DataPath = first))
            await AssertFilledAsync(copy);
        CopyFolder(h.FileSystem, first, second);
        await using (var copy = await h.OpenAsync(o => o.DataPath = second))
            await AssertFilledAsync(copy);
    }
}
