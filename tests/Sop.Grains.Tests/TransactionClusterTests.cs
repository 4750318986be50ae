using System.Text.Json.Nodes;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Compute;
using Sop.Grains.Abstractions.Data;

namespace Sop.Grains.Tests;

/// <summary>Transactions through stateless-worker grains on both silos of one cluster, on one shared folder.</summary>
public sealed class TransactionClusterTests(SopCluster fx) : IClassFixture<SopCluster>
{
    private static string Ok(ApiReply reply)
    {
        Assert.True(reply.Failure is null, $"{reply.Failure?.Kind}: {reply.Failure?.Detail}");
        return reply.Json!;
    }

    private static string Tx(string mode, params JsonObject[] ops) =>
        new JsonObject { ["mode"] = mode, ["operations"] = new JsonArray(ops.Select(o => (JsonNode)o).ToArray()) }.ToJsonString();

    private static JsonObject Op(string op, string store, string key, JsonNode? value = null, bool withValue = false)
    {
        var o = new JsonObject { ["op"] = op, ["store"] = store, ["key"] = key };
        if (withValue) o["value"] = value;
        return o;
    }

    private async Task CreateStoreAsync(string name, int slotLength = 16)
    {
        var reply = await fx.Cluster.GrainFactory.GetGrain<IStoreGrain>(0).Create(new JsonObject { ["name"] = name, ["slotLength"] = slotLength }.ToJsonString());
        Assert.True(reply.Failure is null, reply.Failure?.Detail);
    }

    [Fact]
    public async Task ConcurrentRequestsFromBothSilos_AllCommit_AndSeeEachOther()
    {
        await CreateStoreAsync("union");
        var factories = fx.SiloFactories();
        Assert.Equal(2, factories.Count);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            factories[i % 2].GetGrain<ITransactionGrain>(0).Run(Tx("forWriting", Op("add", "union", $"k{i:D3}", i, withValue: true)))
                .ContinueWith(t => Ok(t.Result))));
        var page = JsonNode.Parse(Ok(await factories[1].GetGrain<ITransactionGrain>(0).Run(
            Tx("forReading", new JsonObject { ["op"] = "range", ["store"] = "union", ["limit"] = 1000 }))))!;
        var items = page["results"]![0]!["items"]!.AsArray();
        Assert.Equal(200, items.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"k{i:D3}"), items.Select(x => x!["key"]!.GetValue<string>()));
        var info = JsonNode.Parse(Ok(await factories[0].GetGrain<IStoreGrain>(0).Get("union")))!;
        Assert.Equal(200, info["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task OperationFailure_RollsBackEverything_AndNamesTheOperation()
    {
        await CreateStoreAsync("rollback");
        var grain = fx.Cluster.GrainFactory.GetGrain<ITransactionGrain>(0);
        Ok(await grain.Run(Tx("forWriting", Op("add", "rollback", "exists", 1, withValue: true))));
        var failed = await grain.Run(Tx("forWriting", Op("upsert", "rollback", "new", 2, withValue: true), Op("add", "rollback", "exists", 3, withValue: true)));
        Assert.Equal((ApiFailureKind.Unprocessable, 1), (failed.Failure!.Kind, failed.Failure.OperationIndex!.Value));
        var read = JsonNode.Parse(Ok(await grain.Run(Tx("forReading", Op("get", "rollback", "new")))))!;
        Assert.False(read["results"]![0]!["found"]!.GetValue<bool>());
        var missing = await grain.Run(Tx("forReading", Op("get", "rollback", "x"), Op("get", "nostore", "x")));
        Assert.Equal((ApiFailureKind.NotFound, 1), (missing.Failure!.Kind, missing.Failure.OperationIndex!.Value));
        var invalid = await grain.Run(Tx("forReading", Op("upsert", "rollback", "x", 1, withValue: true)));
        Assert.Equal(ApiFailureKind.Invalid, invalid.Failure!.Kind);
    }

    [Fact]
    public async Task BankTransfersFromBothSilos_KeepTheInvariant()
    {
        await CreateStoreAsync("bank", slotLength: 4);
        var setup = fx.Cluster.GrainFactory.GetGrain<ITransactionGrain>(0);
        Ok(await setup.Run(Tx("forWriting", Enumerable.Range(0, 6).Select(a => Op("add", "bank", $"acct-{a}", 100, withValue: true)).ToArray())));
        Ok(await fx.Cluster.GrainFactory.GetGrain<IMacroGrain>(0).Put("transfer", """
            {"parameters":[{"name":"from","type":"string","required":true},{"name":"to","type":"string","required":true}],
             "steps":[{"kind":"script","code":"const a = tx.get('bank', args.from), b = tx.get('bank', args.to); tx.put('bank', args.from, a - 1); tx.put('bank', args.to, b + 1); return a - 1;"}]}
            """));
        var factories = fx.SiloFactories();
        var rng = new Random(11);
        var transfers = Enumerable.Range(0, 120).Select(i =>
        {
            int from = rng.Next(6), to = (from + 1 + rng.Next(5)) % 6;
            return factories[i % 2].GetGrain<IMacroGrain>(0).Run("transfer", $$"""{"from":"acct-{{from}}","to":"acct-{{to}}"}""");
        }).ToList();
        foreach (var reply in await Task.WhenAll(transfers)) Ok(reply);
        var read = JsonNode.Parse(Ok(await setup.Run(Tx("forReading", Enumerable.Range(0, 6).Select(a => Op("get", "bank", $"acct-{a}")).ToArray()))))!;
        Assert.Equal(600, read["results"]!.AsArray().Sum(r => r!["value"]!.GetValue<int>()));
    }
}
