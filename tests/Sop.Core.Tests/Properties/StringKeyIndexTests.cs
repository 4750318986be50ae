using Sop.Ids;
using Sop.Nodes;
using Sop.Trees;

namespace Sop.Tests.Properties;

/// <summary>
/// The packed-prefix search of frozen string-keyed nodes must give exactly the lower bound a plain binary search with
/// <see cref="Utf8OrdinalComparer"/> gives, for any keys: shared prefixes, keys that are prefixes of others, NUL
/// characters, surrogates and characters above U+E000 (where UTF-16 and UTF-8 orders differ).
/// </summary>
public sealed class StringKeyIndexTests
{
    private static readonly char[] Alphabet = ['\0', 'a', 'b', 'z', '\u00e9', '\ud800', '\udc00', '\ue000', '\uffff'];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CountBelow_EqualsPlainLowerBound(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 400; round++)
        {
            string prefix = RandomString(random, random.Next(0, 4));
            var keys = Enumerable.Range(0, random.Next(0, 40)).Select(_ => prefix + RandomString(random, random.Next(0, 6)))
                .Order(Utf8OrdinalComparer.Instance).ToList();
            var items = keys.Select(k => new Item<string, int>(k, ItemId.New(), 1, 0, BlobId.None)).ToList();
            var index = StringKeyIndex.Build(items);
            for (int probe = 0; probe < 40; probe++)
            {
                string key = random.Next(3) switch
                {
                    0 when keys.Count > 0 => keys[random.Next(keys.Count)],
                    1 => prefix + RandomString(random, random.Next(0, 6)),
                    _ => RandomString(random, random.Next(0, 8)),
                };
                Assert.Equal(LowerBound(keys, key), index.CountBelow(key));
            }
        }
    }

    private static int LowerBound(List<string> keys, string key) => keys.Count(k => Utf8OrdinalComparer.Instance.Compare(k, key) < 0);

    private static string RandomString(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
}
