using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Sop.Compute.Macros;
using Sop.Compute.Running;
using Sop.Hosting;
using Sop.Json;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Compute.Tests.Support;

/// <summary>An engine on the in-memory file system with the compute swarm over it, and JSON helpers for tests.</summary>
public sealed class ComputeFixture : IAsyncDisposable
{
    private ComputeFixture(SopEngine engine, SopCompute compute)
    {
        Engine = engine;
        Compute = compute;
    }

    public SopEngine Engine { get; }

    public SopCompute Compute { get; }

    public static async Task<ComputeFixture> StartAsync(Action<ComputeOptions>? configure = null, IChatClient? chat = null, TimeProvider? time = null)
    {
        var engine = await SopEngine.OpenAsync(new SopEngineOptions { DataPath = "/db", FileSystem = new InMemoryFileSystem() });
        var options = new ComputeOptions();
        configure?.Invoke(options);
        return new ComputeFixture(engine, new SopCompute(engine, options, chat, time));
    }

    /// <summary>A second compute swarm on the same engine (another "silo" view, own caches).</summary>
    public SopCompute Another(IChatClient? chat = null) => new(Engine, Compute.Options, chat);

    public async Task CreateStoreAsync(string name, bool unique = true) =>
        await Engine.CreateJsonStoreAsync(new StoreOptions(name) { UniqueKeys = unique });

    public async Task PutAsync(string store, string key, string json)
    {
        await using var tx = Engine.Begin();
        tx.OpenJsonStore(store).Upsert(key, JsonDocument.Parse(json).RootElement.Clone());
        await tx.CommitAsync();
    }

    public async Task<string?> GetAsync(string store, string key)
    {
        await using var tx = Engine.Begin(TransactionMode.NoCheck);
        return tx.OpenJsonStore(store).TryGetValue(key, out var value) ? value.GetRawText() : null;
    }

    public static MacroDefinition Macro(string json) => JsonSerializer.Deserialize<MacroDefinition>(json, MacroJson.Options)!;

    public static JsonObject Args(string json) => (JsonObject)JsonNode.Parse(json)!;

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
