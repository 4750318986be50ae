using Sop.Ids;

namespace Sop.Tests.Engine;

/// <summary>Pooled random ids: RFC 4122 version 4 with its variant, and no repeats across threads and pool refills.</summary>
public sealed class RandomGuidsTests
{
    [Fact]
    public async Task Ids_AreVersion4_AndUnique_AcrossThreadsAndRefills()
    {
        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Enumerable.Range(0, 5000).Select(_ => RandomGuids.New()).ToList())));
        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, id =>
        {
            Assert.Equal(4, id.Version);
            Assert.Equal('8', char.ToLowerInvariant(id.ToString("N")[16]) switch { '8' or '9' or 'a' or 'b' => '8', var c => c });
        });
    }
}
