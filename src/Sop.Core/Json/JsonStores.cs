using System.Text.Json;
using Sop.Transactions;
using Sop.Trees;

namespace Sop.Json;

/// <summary>
/// The JSON view: stores with string keys in UTF-8 byte order and any JSON value (the form the HTTP API and the
/// compute swarm use). A JSON store is an ordinary <see cref="BTree{TKey, TValue}"/> of <see cref="string"/> to
/// <see cref="JsonElement"/>.
/// </summary>
public static class JsonStores
{
    /// <summary>Creates a JSON store.</summary>
    public static ValueTask<StoreInfo> CreateJsonStoreAsync(this SopEngine engine, StoreOptions options, CancellationToken cancellationToken = default) =>
        engine.CreateStoreAsync<string, JsonElement>(options, Utf8OrdinalComparer.Instance, cancellationToken);

    /// <summary>Opens a JSON store in a transaction.</summary>
    public static BTree<string, JsonElement> OpenJsonStore(this Transaction transaction, string name) =>
        transaction.OpenStore<string, JsonElement>(name, Utf8OrdinalComparer.Instance);

    /// <summary>True when the store was created as a JSON store.</summary>
    public static bool IsJsonStore(this StoreInfo info) =>
        info.KeyType == typeof(string).FullName && info.ValueType == typeof(JsonElement).FullName && info.KeyComparer == Utf8OrdinalComparer.Instance.Id;
}
